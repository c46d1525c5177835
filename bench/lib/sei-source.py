# A live H.264 720p30 source whose every access unit starts with an SEI (user data unregistered)
# carrying the frame's wall-clock capture time, for latency measurements. Run with /usr/bin/python3
# (it has gi). Capture time = wall clock now − (running time now − buffer PTS): videotestsrc is live,
# so a frame's PTS is the running time at which it was captured; encoding time is thus included.
#   --udp H:P  (repeatable) RTP H.264 pt 96 to these loopback ports
#   --rtsp-port N  also serve it as rtsp://127.0.0.1:N/sei (a camera for the media worker)
# Prints {"ready": true, ...} on stdout; exits when stdin closes.
import argparse, json, sys, threading, time
import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib

UUID = b'RCP-LATENCY-SEI!'  # 16 bytes, no zero byte: no emulation prevention needed
assert len(UUID) == 16


def sei_nal(capture_us: int) -> bytes:
    digits = str(capture_us).rjust(16, '1').encode()  # ASCII digits: never a 00 00 sequence
    payload = UUID + digits
    return b'\x00\x00\x00\x01' + bytes([0x06, 0x05, len(payload)]) + payload + b'\x80'


p = argparse.ArgumentParser()
p.add_argument('--udp', action='append', default=[])
p.add_argument('--rtsp-port', type=int, default=0)
p.add_argument('--internal-port', type=int, default=0, help='loopback port between the stamper and the RTSP server')
args = p.parse_args()
Gst.init(None)

enc = Gst.parse_launch(
    'videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! video/x-raw,width=1280,height=720,framerate=30/1 '
    '! x264enc tune=zerolatency speed-preset=ultrafast bitrate=2500 key-int-max=30 '
    '! video/x-h264,profile=constrained-baseline,stream-format=byte-stream,alignment=au ! appsink name=sink emit-signals=true sync=false max-buffers=5')
outs = [f'udpsink host={h} port={pt} sync=false async=false' for h, pt in (u.split(':') for u in args.udp)]
if args.rtsp_port:
    outs.append(f'udpsink host=127.0.0.1 port={args.internal_port} sync=false async=false')
tee = ' '.join(f't. ! queue ! {o}' for o in outs)
out = Gst.parse_launch(
    'appsrc name=src is-live=true format=time do-timestamp=false caps=video/x-h264,stream-format=byte-stream,alignment=au,profile=constrained-baseline '
    f'! h264parse ! video/x-h264,stream-format=byte-stream,alignment=au ! rtph264pay pt=96 config-interval=1 mtu=1200 ! tee name=t {tee}')
src = out.get_by_name('src')
frames = 0


def on_sample(sink):
    global frames
    sample = sink.emit('pull-sample')
    buf = sample.get_buffer()
    clock = enc.get_clock()
    running_now = clock.get_time() - enc.get_base_time()
    capture_us = time.time_ns() // 1000 - max(0, running_now - buf.pts) // 1000
    data = sei_nal(capture_us) + buf.extract_dup(0, buf.get_size())
    nb = Gst.Buffer.new_wrapped(data)
    nb.pts = buf.pts
    nb.dts = buf.dts
    nb.duration = buf.duration
    src.emit('push-buffer', nb)
    frames += 1
    return Gst.FlowReturn.OK


enc.get_by_name('sink').connect('new-sample', on_sample)
out.set_state(Gst.State.PLAYING)
enc.set_state(Gst.State.PLAYING)

if args.rtsp_port:
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(str(args.rtsp_port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f'( udpsrc port={args.internal_port} caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96" '
        '! rtph264depay ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )')
    factory.set_shared(True)
    server.get_mount_points().add_factory('/sei', factory)
    server.attach(None)

loop = GLib.MainLoop()


def read_stdin():
    for _ in sys.stdin:
        pass
    GLib.idle_add(loop.quit)


threading.Thread(target=read_stdin, daemon=True).start()
sys.stdout.write(json.dumps({'ready': True, 'rtsp': f'rtsp://127.0.0.1:{args.rtsp_port}/sei' if args.rtsp_port else None}) + '\n')
sys.stdout.flush()
loop.run()
