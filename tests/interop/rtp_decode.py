"""Decodes RTP a test client hands over on loopback UDP (the werift viewer: werift receives, GStreamer decodes,
as an application built on werift would). argv[1]: JSON {videoPort, audioPort}. Prints {"event":"ready"},
then {"event":"stats", frames, audioSeconds, rms} every 500 ms (gst_decode.py).
"""

import json
import sys

from gst_decode import Decoders
from gst_whip_common import GLib, Gst, emit, run, watch_bus

opts = json.loads(sys.argv[1])
CAPS = {
    "video": "application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000",
    "audio": "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000",
}


def setup():
    pipe = Gst.Pipeline.new("decode")
    decoders = Decoders(pipe)
    for media, port in (("video", opts["videoPort"]), ("audio", opts["audioPort"])):
        src = Gst.ElementFactory.make("udpsrc")
        src.set_property("address", "127.0.0.1")
        src.set_property("port", port)
        src.set_property("caps", Gst.Caps.from_string(CAPS[media]))
        jitter = Gst.ElementFactory.make("rtpjitterbuffer")
        jitter.set_property("latency", 100)
        pipe.add(src)
        pipe.add(jitter)
        src.link(jitter)
        decoders.attach(jitter.get_static_pad("src"), media)
    GLib.timeout_add(500, lambda: emit(event="stats", **decoders.stats()) or True)
    watch_bus(pipe)
    pipe.set_state(Gst.State.PLAYING)
    emit(event="ready")
    return lambda: pipe.set_state(Gst.State.NULL)


run(setup)
