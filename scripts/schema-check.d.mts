/** Types of scripts/schema-check.mjs (the breaking-change check of the GraphQL contract). */
export interface SchemaChange { level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING'; type: string; path: string | null; message: string }
export interface ReleasedSchema { version: string; file: string }
export const ROOT: string;
export const RELEASED_DIR: string;
export function parseVersion(version: string): [number, number, number];
export function compareVersions(a: string, b: string): number;
export function allowsBreaking(released: string, version: string): boolean;
export function releasedSchemas(dir?: string): ReleasedSchema[];
export function schemaChanges(releasedSdl: string, currentSdl: string): Promise<SchemaChange[]>;
export function checkSchema(options?: { current?: string; schemaVersion?: string; sdkVersion?: string; released?: ReleasedSchema }): Promise<{
  released: ReleasedSchema | null;
  changes: SchemaChange[];
  breaking?: SchemaChange[];
  problems: string[];
}>;
