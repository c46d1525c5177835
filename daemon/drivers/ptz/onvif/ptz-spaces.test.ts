import { describe, expect, it } from 'vitest';
import { DeviceUnavailableError } from '../../../../common/errors.js';
import { buildRequest, parseFault, parseSoap, SPACE } from '../../../../common/protocols/onvif/index.js';
import { PtzModel } from '../../../../simulators/ptz-model/ptz-model.js';
import { dispatchSoap, type DispatchDeps } from '../../../../simulators/onvif-camera/soap-dispatch.js';
import { FULL_RANGE } from '../ptz-driver.js';
import { SoapFaultError } from './onvif-faults.js';
import { readPtzSpaces, spacesFrom, type OnvifCall } from './ptz-spaces.js';

/** A call function over the simulator's SOAP dispatch (no sockets): what onvif-ptz.ts gives readPtzSpaces. */
function simCall(model: PtzModel, seen: string[] = []): OnvifCall {
  const deps: DispatchDeps = {
    ctx: {
      info: { name: 'n', manufacturer: 'm', model: 'x', firmwareVersion: '1', serialNumber: 's', hardwareId: 'h', scopes: [] },
      urls: { device: 'http://h/d', media: 'http://h/m', ptz: 'http://h/p' },
      streamUri: () => 'rtsp://h/stream',
      snapshotUri: () => undefined,
    },
    ptz: { model, clock: () => 0, home: { pan: 0, tilt: 0, zoom: 0 }, moved: () => undefined },
    credentials: { username: 'admin', password: 'pw' },
    protocolError: () => false,
  };
  return async (op, body) => {
    seen.push(op);
    const sign = { username: 'admin', password: 'pw', nonce: Buffer.from('0123456789abcdef'), created: new Date().toISOString() };
    const answer = parseSoap(dispatchSoap(buildRequest(body, sign), deps).xml).body;
    const fault = parseFault(answer);
    if (fault) throw new SoapFaultError(fault);
    return answer;
  };
}

const r = (min: number, max: number) => ({ min, max });

describe('readPtzSpaces against the simulator', () => {
  it('a zoom that ends at 0.5: limits, and relative zoom never wider than the range', async () => {
    const model = new PtzModel(() => 0);
    model.setLimits({ zoom: [0, 0.5] });
    const seen: string[] = [];
    const s = await readPtzSpaces(simCall(model, seen), { configurationToken: 'PTZConfigToken' });
    expect(s.limits).toEqual({ pan: r(-1, 1), tilt: r(-1, 1), zoom: r(0, 0.5) });
    expect(s.translation.zoom).toEqual(r(-0.5, 0.5));
    expect(s.velocity).toEqual({ pan: r(-1, 1), tilt: r(-1, 1), zoom: r(-1, 1) });
    expect(seen).toEqual(['GetConfiguration', 'GetNode', 'GetConfigurationOptions']);
    // Like a Hikvision node, the simulator lists FOV/millimetre velocity spaces too (node and options): noted, unused.
    expect(s.notes).toHaveLength(4);
    expect(s.notes.every((n) => /VelocitySpace(FOV|Millimeter) not used/.test(n))).toBe(true);
  });

  it("asks GetConfiguration even with the profile's configuration (profiles leave limits out); a refused query is skipped", async () => {
    const model = new PtzModel(() => 0);
    model.setLimits({ zoom: [0, 0.5] });
    const seen: string[] = [];
    const profileConf = { token: 'PTZConfigToken', nodeToken: 'PTZNodeToken' };
    const s = await readPtzSpaces(simCall(model, seen), { configurationToken: 'PTZConfigToken', configuration: profileConf });
    expect(seen).toEqual(['GetConfiguration', 'GetNode', 'GetConfigurationOptions']);
    expect(s.limits.zoom).toEqual(r(0, 0.5));
    // GetConfiguration refused (unknown token here): the profile's configuration stands in; its node is unknown.
    const t = await readPtzSpaces(simCall(model), {
      configurationToken: 'Other',
      configuration: { token: 'Other', nodeToken: 'NoSuchNode', zoomLimits: { uri: SPACE.zPosition, x: r(0, 0.7) } },
    });
    expect(t.limits.zoom).toEqual(r(0, 0.7));
    expect(t.notes).toEqual([
      expect.stringMatching(/^GetConfiguration refused: .*NoEntity/),
      expect.stringMatching(/^GetNode refused: .*NoEntity/),
      expect.stringMatching(/^GetConfigurationOptions refused: .*NoEntity/),
    ]);
  });

  it('a transport failure is not swallowed: the connect attempt fails and is retried', async () => {
    const down: OnvifCall = async () => {
      throw new DeviceUnavailableError('cam-1', 'timed out');
    };
    await expect(readPtzSpaces(down, { configurationToken: 'c' })).rejects.toBeInstanceOf(DeviceUnavailableError);
  });
});

describe('spacesFrom (readings → ranges)', () => {
  it('a recorded camera whose generic pan/tilt space is 0..1 (agsh fixture): taken as it says', () => {
    const options = { AbsolutePanTiltPositionSpace: [{ uri: SPACE.ptPosition, x: r(0, 1), y: r(0, 1) }] };
    expect(spacesFrom({ options }).limits).toEqual({ pan: r(0, 1), tilt: r(0, 1), zoom: r(0, 1) });
  });

  it('non-generic spaces and impossible ranges are noted, not applied', () => {
    const notes: string[] = [];
    const s = spacesFrom(
      {
        nodeSpaces: { AbsoluteZoomPositionSpace: [{ uri: 'http://vendor/zoom/mm', x: r(4.7, 94) }] },
        config: { token: 'c', panTiltLimits: { uri: SPACE.ptPosition, x: r(2, 3), y: r(-1, 1) } },
      },
      notes,
    );
    expect(s.limits).toEqual(FULL_RANGE);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/AbsoluteZoomPositionSpace in http:\/\/vendor\/zoom\/mm not used/);
    expect(notes[1]).toMatch(/pan range \[2, 3\] outside \[-1, 1\], ignored/);
  });

  it('a space without a URI counts as the generic one (firmwares that omit it)', () => {
    const s = spacesFrom({ config: { token: 'c', zoomLimits: { uri: '', x: r(0.1, 0.6) } } });
    expect(s.limits.zoom).toEqual(r(0.1, 0.6));
    expect(s.translation.zoom).toEqual(r(-0.5, 0.5));
  });
});
