"""A GStreamer webrtcbin WHIP publisher, as GStreamer-based WHIP clients build one: H.264 + Opus, sendonly.

argv[1]: JSON {url, token?, bundlePolicy: "max-bundle"|"balanced", trickle: bool}. Prints JSON lines: offer,
answer, patch (trickle), {"event":"state",...} every second, deleted (after a "stop" line on stdin).
"""

import json
import sys

from gst_whip_common import GLib, Gst, GstWebRTC, Session, emit, run, watch_bus

opts = json.loads(sys.argv[1])
PIPELINE = (
    f"webrtcbin name=w bundle-policy={opts.get('bundlePolicy', 'max-bundle')} "
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert ! "
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=300 ! video/x-h264,profile=constrained-baseline ! "
    "rtph264pay pt=96 config-interval=-1 aggregate-mode=zero-latency ! "
    "application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000 ! w. "
    "audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 ! "
    "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! w."
)


def setup():
    pipe = Gst.parse_launch(PIPELINE)
    w = pipe.get_by_name("w")

    def sendonly():
        for i in range(2):
            t = w.emit("get-transceiver", i)
            if t:
                t.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)

    session = Session(w, opts, before_offer=sendonly)
    GLib.timeout_add(1000, lambda: emit(event="state", **session.state()) or True)
    watch_bus(pipe)
    pipe.set_state(Gst.State.PLAYING)

    def stop():
        session.delete()
        pipe.set_state(Gst.State.NULL)

    return stop


run(setup)
