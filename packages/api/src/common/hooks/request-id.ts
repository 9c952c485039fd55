import type { RequestHook } from './hooks.js';

/** A client's id is kept when it is short and plain (it goes into logs and headers as it is). */
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id: the client's (or load balancer's) `x-request-id` when it is a plain id of up
 * to 128 characters, else a generated UUID; sent back in the `x-request-id` header, in every
 * error's `extensions.requestId`, and in the access log line.
 */
export function requestIdHook(): RequestHook {
  return {
    name: 'request-id',
    arrive(record) {
      const given = record.req.headers['x-request-id'];
      if (typeof given === 'string' && PLAIN_ID.test(given)) record.id = given;
      record.res.setHeader('x-request-id', record.id);
    },
    errorExtensions: (record) => ({ requestId: record.id }),
  };
}
