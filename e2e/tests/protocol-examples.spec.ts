// The TypeScript definition of the protocol against the examples of docs/protocol.md, the
// same examples tests/core/protocol_test.cpp gives the C++ one. No browser needed.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, ROW_ERROR_CODES, parseHostMessage, ProtocolError } from '../../frontend/src/protocol';
import { PROTOCOL_DOC, SUMMARY_DOC } from '../support/paths';

interface Example { section: string; json: Record<string, unknown> }

// Every ```json block with the "## ..." section it sits in.
function examples(): Example[] {
  const found: Example[] = [];
  let section = '';
  let block: string[] | null = null;
  for (const line of readFileSync(PROTOCOL_DOC, 'utf8').split('\n')) {
    if (block) {
      if (line.trim() === '```') {
        found.push({ section, json: JSON.parse(block.join('\n')) as Record<string, unknown> });
        block = null;
      } else {
        block.push(line);
      }
    } else if (line.startsWith('## ')) {
      section = line.slice(3).trim();
    } else if (line.trim() === '```json') {
      block = [];
    }
  }
  return found;
}

const hostExamples = examples().filter((e) => e.section === 'Host -> client');
const clientExamples = examples().filter((e) => e.section === 'Client -> host');

test('docs/protocol.md has examples of every host message', () => {
  const ops = new Set(hostExamples.map((e) => e.json.op));
  expect([...ops].sort()).toEqual(['cancel', 'error', 'finish', 'hello', 'pool', 'progress', 'queued', 'start']);
  expect(clientExamples.length).toBeGreaterThanOrEqual(3);
});

for (const { json } of hostExamples) {
  const label = JSON.stringify(json).slice(0, 60);

  test(`accepts the host example ${label}`, () => {
    expect(parseHostMessage(json)).toEqual(json);
    expect(parseHostMessage(JSON.stringify(json))).toEqual(json);
  });

  test(`accepts unknown fields in ${label}`, () => {
    const newer = { ...json, added_in_v2: { anything: [1, 2] } };
    expect(parseHostMessage(JSON.stringify(newer))).toEqual(newer);
  });

  test(`refuses ${label} without each of its fields or with a wrong type`, () => {
    for (const field of Object.keys(json).filter((f) => f !== 'op')) {
      const { [field]: _dropped, ...without } = json;
      // A field that may be null (place, total) must still be there.
      expect(() => parseHostMessage(without), `without '${field}'`).toThrow(ProtocolError);
      const wrong = { ...json, [field]: typeof json[field] === 'string' ? 17 : 'seventeen' };
      expect(() => parseHostMessage(wrong), `'${field}' of the wrong type`).toThrow(ProtocolError);
    }
  });
}

test('refuses what is not a host message', () => {
  const malformed: unknown[] = [
    '{"op": "progress", "id": "f1"',           // cut short: not JSON
    '[{"op": "cancel", "id": "f1"}]',           // not an object
    'null',
    '"cancel"',
    { id: 'f1' },                                // no op
    { op: 'strat', id: 'f1' },                   // unknown op
    { op: 'progress', id: 'f1', phase: 'download', bytes: 1, total: 2, rows: 0 },
    { op: 'progress', id: 'f1', phase: 'parse', bytes: Number.NaN, total: 2, rows: 0 },
    { op: 'start', id: 'f1', host: 'cloud', worker: 0 },
    { op: 'finish', id: 'f1', summary: [], output: {}, timings: {}, host: 'server', worker: 0, cached: false },
  ];
  for (const message of malformed) {
    expect(() => parseHostMessage(message), JSON.stringify(message)).toThrow(ProtocolError);
  }
});

test('a client hello is not a host hello (it names no server)', () => {
  const hello = clientExamples.find((e) => e.json.op === 'hello');
  expect(hello).toBeDefined();
  expect(() => parseHostMessage(hello!.json)).toThrow(ProtocolError);
});

// The `code`s of the first table after the line `heading`.
function tableCodes(file: string, heading: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const codes: string[] = [];
  for (let i = lines.indexOf(heading) + 1; i > 0 && i < lines.length; ++i) {
    const m = /^\| `([a-z_0-9]+)`/.exec(lines[i]);
    if (m) codes.push(m[1]);
    else if (codes.length) break;
  }
  return codes.sort();
}

test('the error vocabulary is the one docs/protocol.md and docs/summary.md list', () => {
  expect([...ERROR_CODES].sort()).toEqual(tableCodes(PROTOCOL_DOC, 'Codes:'));
  expect([...ROW_ERROR_CODES].sort()).toEqual(tableCodes(SUMMARY_DOC, '### Error codes of bad rows'));
});

test('an error with a code outside the vocabulary is refused', () => {
  expect(() => parseHostMessage({ op: 'error', id: 'f1', code: 'oops', message: 'm', place: null })).toThrow(ProtocolError);
});
