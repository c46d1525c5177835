import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faultXml, parseSoap } from './envelope.js';
import { type FaultInfo, invalidArg, parseFault, SoapFault } from './fault.js';
import { localName } from './xml-tree.js';

// The faults the simulator raises (through faultXml) against the same faults recorded from cameras
// (fixtures/README.md): same code and subcode chain, compared by local name (vendors pick their own
// prefixes: env:, SOAP-ENV:, s:). The wording is the simulator's own; the shape is the camera's.
const recorded = (name: string) => parseFault(parseSoap(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).body)!;
const written = (f: SoapFault) => parseFault(parseSoap(faultXml(f)).body)!;
const shape = (f: FaultInfo) => [localName(f.code), ...f.subcodes.map(localName)];

describe("the simulator's faults have the recorded cameras' shapes", () => {
  it.each([
    [
      'wrong credentials',
      new SoapFault('Sender', ['NotAuthorized'], 'Sender not authorized: wrong password'),
      'hikvision-ds2df7286-fault-not-authorized.xml',
    ],
    ['unknown profile', invalidArg('NoProfile', 'No such profile: Foo'), 'hikvision-ds2df7286-fault-no-profile.xml'],
    [
      'optional action missing',
      new SoapFault('Receiver', ['ActionNotSupported'], 'Action not supported: X'),
      'pelco-d6230l-fault-action-not-supported.xml',
    ],
  ])('%s', (_what, simFault, file) => {
    expect(shape(written(simFault))).toEqual(shape(recorded(file)));
  });
});
