"""A GStreamer webrtcbin WHEP viewer: recvonly H.264 + Opus, decoded (gst_decode.py).

argv[1]: JSON {url, token?, bundlePolicy, trickle}. Prints JSON lines: offer, answer, patch (trickle),
{"event":"stats", frames, audioSeconds, rms, ice, connection} every 500 ms, deleted (after "stop" on stdin).
"""

import json
import sys

from gst_decode import Decoders
from gst_whip_common import GLib, Gst, GstWebRTC, Session, emit, run, watch_bus

opts = json.loads(sys.argv[1])
CAPS = {
    "video": "application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000,"
    "packetization-mode=(string)1,profile-level-id=(string)42e01f",
    "audio": "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=(string)2",
}


def setup():
    pipe = Gst.Pipeline.new("viewer")
    w = Gst.ElementFactory.make("webrtcbin", "w")
    w.set_property("bundle-policy", opts.get("bundlePolicy", "max-bundle"))
    pipe.add(w)
    decoders = Decoders(pipe)
    for media in ("video", "audio"):
        w.emit("add-transceiver", GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY, Gst.Caps.from_string(CAPS[media]))

    def on_pad(_w, pad):

        if pad.direction == Gst.PadDirection.SRC:
            media = pad.get_current_caps().get_structure(0).get_string("media")
            decoders.attach(pad, media)  # at once: a pad left unlinked stops the stream (not-linked)

    w.connect("pad-added", on_pad)
    session = Session(w, opts)
    GLib.timeout_add(500, lambda: emit(event="stats", **decoders.stats(), **session.state()) or True)
    watch_bus(pipe)
    pipe.set_state(Gst.State.PLAYING)

    def stop():
        session.delete()
        pipe.set_state(Gst.State.NULL)

    return stop


run(setup)
