"""A GStreamer webrtcbin WHIP publisher, as GStreamer-based WHIP clients build one (H.264 + Opus).

argv[1]: JSON {url, token?, bundlePolicy: "max-bundle"|"balanced", trickle: bool}. Non-trickle: the offer
is POSTed once ICE gathering is complete (every candidate in it). Trickle: the offer goes at once and each
candidate follows in a PATCH (application/trickle-ice-sdpfrag, If-Match: the ETag). Prints JSON lines:
{"event":"offer"}, {"event":"answer","status",...}, {"event":"state",...} every second, {"event":"deleted"}.
"""

import json
import sys

from gst_whip_common import GLib, Gst, GstWebRTC, absolute, emit, http, promise_reply, run, sdpfrag, session

opts = json.loads(sys.argv[1])
auth = {"authorization": f"Bearer {opts['token']}"} if opts.get("token") else {}
PIPELINE = (
    f"webrtcbin name=w bundle-policy={opts.get('bundlePolicy', 'max-bundle')} "
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert ! "
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=300 ! video/x-h264,profile=constrained-baseline ! "
    "rtph264pay pt=96 config-interval=-1 aggregate-mode=zero-latency ! "
    "application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000 ! w. "
    "audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 ! "
    "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! w."
)


def setup(_loop):
    pipe = Gst.parse_launch(PIPELINE)
    w = pipe.get_by_name("w")
    st = {"location": None, "etag": None, "offer": None, "queue": [], "posted": False}

    def post():
        st["posted"] = True
        offer = w.get_property("local-description").sdp.as_text()
        st["offer"] = offer
        emit(event="offer", candidates=offer.count("a=candidate:"), bundleOnly=offer.count("a=bundle-only"))
        status, headers, body = http("POST", opts["url"], offer, {"content-type": "application/sdp", **auth})
        lower = {k.lower(): v for k, v in headers.items()}
        emit(event="answer", status=status, location=lower.get("location"), etag=lower.get("etag"),
             acceptPatch=lower.get("accept-patch"), body=body if status != 201 else None, sdp=body if status == 201 else None)
        if status != 201:
            return False
        st["location"], st["etag"] = absolute(opts["url"], lower["location"]), lower.get("etag")
        w.emit("set-remote-description", session("answer", body), None)
        for c in st["queue"]:
            patch(*c)
        st["queue"] = []
        return False

    def patch(mline, candidate):
        headers = {"content-type": "application/trickle-ice-sdpfrag", **auth}
        if st["etag"]:
            headers["if-match"] = st["etag"]
        status, _, _ = http("PATCH", st["location"], sdpfrag(st["offer"], mline, candidate), headers)
        if status != 204:
            emit(event="patch-failed", status=status)

    def on_candidate(_w, mline, candidate):
        if not opts.get("trickle"):
            return
        GLib.idle_add(lambda: (patch(mline, candidate) if st["location"] else st["queue"].append((mline, candidate))) and False)

    def on_gathering(*_):
        if w.get_property("ice-gathering-state").value_nick == "complete" and not opts.get("trickle") and not st["posted"]:
            GLib.idle_add(post)

    def offer():
        for i in range(2):
            t = w.emit("get-transceiver", i)
            if t:
                t.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        promise = Gst.Promise.new()
        w.emit("create-offer", None, promise)
        w.emit("set-local-description", promise_reply(promise, "offer"), None)
        if opts.get("trickle"):
            GLib.idle_add(post)
        return False

    def on_negotiation(_w):
        GLib.idle_add(offer)

    w.connect("on-negotiation-needed", on_negotiation)
    w.connect("on-ice-candidate", on_candidate)
    w.connect("notify::ice-gathering-state", on_gathering)

    def tick():
        emit(event="state", gathering=w.get_property("ice-gathering-state").value_nick, ice=w.get_property("ice-connection-state").value_nick,
             connection=w.get_property("connection-state").value_nick)
        return True

    GLib.timeout_add(1000, tick)
    pipe.set_state(Gst.State.PLAYING)

    def stop():
        if st["location"]:
            status, _, _ = http("DELETE", st["location"], None, auth)
            emit(event="deleted", status=status)
        pipe.set_state(Gst.State.NULL)

    return stop


run(setup)
