// werift sending an H.264 RTP stream received on a UDP port: the same job as webrtcbin-sender.py,
// with the same JSON-lines signaling, so both can be measured side by side.
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { h264Codec } from '../../common/webrtc/h264-codec.js';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const emit = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
// a clean exit on SIGTERM, so that --cpu-prof writes its profile
process.on('SIGTERM', () => process.exit(0));

const pc = new RTCPeerConnection({
  codecs: {
    video: [h264Codec([{ type: 'nack' }, { type: 'nack', parameter: 'pli' }])],
  },
});
const track = new MediaStreamTrack({ kind: 'video' });
pc.addTransceiver(track, { direction: 'sendonly' });
const udp = createSocket('udp4');
udp.on('message', (rtp) => track.writeRtp(rtp));
udp.bind(Number(values.port), '127.0.0.1');

const offer = await pc.createOffer();
await pc.setLocalDescription(offer);
emit({ offer: pc.localDescription!.sdp });
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line) as { answer?: string };
  if (msg.answer) await pc.setRemoteDescription({ type: 'answer', sdp: msg.answer });
}
await pc.close();
udp.close();
