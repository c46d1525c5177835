#!/usr/bin/python3
# GStreamer webrtcbin sending an H.264 RTP stream received on a UDP port: the reference sender the
# werift uplink is compared with. Signaling: JSON lines on stdout ({"offer"}, {"candidate"}) and
# stdin ({"answer"}). Run with /usr/bin/python3 (it has gi).
import json, sys, argparse, threading
import gi
gi.require_version('Gst', '1.0'); gi.require_version('GstWebRTC', '1.0'); gi.require_version('GstSdp', '1.0')
from gi.repository import Gst, GstWebRTC, GstSdp, GLib

ap = argparse.ArgumentParser(); ap.add_argument('--port', type=int, required=True); args = ap.parse_args()
Gst.init(None)
CAPS = 'application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000,packetization-mode=(string)1,profile-level-id=(string)42e01f,ssrc=(uint)305419896'
pipe = Gst.parse_launch(f'udpsrc port={args.port} caps="{CAPS}" ! queue ! webrtcbin name=w bundle-policy=max-bundle')
w = pipe.get_by_name('w')

def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n'); sys.stdout.flush()

def on_offer(promise, _):
    reply = promise.get_reply()
    offer = reply.get_value('offer')
    if offer is None:
        sys.stderr.write(f'webrtcbin create-offer failed: {reply.to_string()}\n'); loop.quit(); return
    w.emit('set-local-description', offer, Gst.Promise.new())
    emit({'offer': offer.sdp.as_text()})

def on_negotiation_needed(_):
    # The offer needs the sink caps, which arrive with the first RTP packet: give the stream a moment.
    GLib.timeout_add(1000, lambda: w.emit('create-offer', None, Gst.Promise.new_with_change_func(on_offer, None)) and False)

w.connect('on-negotiation-needed', on_negotiation_needed)
w.connect('on-ice-candidate', lambda _, idx, cand: emit({'candidate': cand, 'sdpMLineIndex': idx}))

def read_stdin():
    for line in sys.stdin:
        msg = json.loads(line)
        if 'answer' in msg:
            _, sdp = GstSdp.SDPMessage.new_from_text(msg['answer'])
            answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, sdp)
            GLib.idle_add(lambda: w.emit('set-remote-description', answer, Gst.Promise.new()) and False)
    GLib.idle_add(loop.quit)

loop = GLib.MainLoop()
pipe.set_state(Gst.State.PLAYING)
threading.Thread(target=read_stdin, daemon=True).start()
loop.run()
pipe.set_state(Gst.State.NULL)
