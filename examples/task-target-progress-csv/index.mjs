#!/usr/bin/env node
// @ts-check
/**
 * Writes a CSV of task-target progress by province, using @airledger/sdk.
 *
 *   AIRLEDGER_URL=https://airledger.example.org/graphql node index.mjs [out.csv] [--campaign <code>]
 *
 * One row per target and province: the target's provincial shares where the plan gives them,
 * else the province the target is assigned to, else one row for all provinces. Without an output
 * file the CSV goes to stdout. Environment: AIRLEDGER_URL (default http://localhost:4000/graphql),
 * AIRLEDGER_TOKEN (optional).
 */
import { writeFile } from 'node:fs/promises';
import { createClient, isAirledgerError } from '@airledger/sdk';

export const COLUMNS = ['target_code', 'target_name', 'unit', 'comparator', 'deadline', 'province_slug', 'province_name', 'quantity', 'achieved', 'percent', 'met'];

/** @param {unknown} value */
function csvCell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The rows of the CSV for the given task targets (as the SDK's taskTargets query returns them).
 * @param {import('@airledger/sdk').TaskTargetFieldsFragment[]} targets
 */
export function progressRows(targets) {
  const rows = [];
  for (const target of targets) {
    const base = [target.code, target.nameEn, target.unit, target.comparator, target.deadline];
    const shares = target.breakdown.filter((item) => item.province);
    if (shares.length) {
      for (const item of shares) {
        rows.push([...base, item.province?.slug, item.province?.nameEn, item.quantity, item.progress.achieved, item.progress.percent, item.progress.met]);
      }
    } else {
      rows.push([...base, target.province?.slug ?? '', target.province?.nameEn ?? 'All provinces', target.quantity, target.progress.achieved, target.progress.percent, target.progress.met]);
    }
  }
  return rows;
}

/** @param {unknown[][]} rows */
export function toCsv(rows) {
  return [COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

async function main() {
  const args = process.argv.slice(2);
  const campaignAt = args.indexOf('--campaign');
  const campaign = campaignAt >= 0 ? args.splice(campaignAt, 2)[1] : undefined;
  const out = args[0];

  const client = createClient({
    url: process.env.AIRLEDGER_URL ?? 'http://localhost:4000/graphql',
    token: process.env.AIRLEDGER_TOKEN,
  });
  const targets = await client.paginate.taskTargets({ first: 100, filter: campaign ? { campaign } : undefined }).all();
  const csv = toCsv(progressRows(targets));
  if (out) {
    await writeFile(out, csv, 'utf8');
    console.error(`wrote ${out}: ${targets.length} targets`);
  } else {
    process.stdout.write(csv);
  }
}

main().catch((error) => {
  console.error(isAirledgerError(error) ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
