"""Shared bits of the GStreamer webrtcbin WHIP publisher and WHEP viewer the interop tests start.

Plain HTTP (urllib) for the RFC 9725 exchange, one JSON line per event on stdout, the SDP helpers trickle
needs, and `Session`: offer → POST → answer (→ PATCH per candidate) → DELETE. No project code: these
clients stand for other people's WHIP/WHEP clients.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

Gst.init(None)


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def http(method, url, body=None, headers=None):
    """(status, lower-cased headers, text); a non-2xx status is returned, not raised."""
    req = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read().decode()


def sdpfrag(text, mline, candidate):
    """An RFC 8840 trickle-ice-sdpfrag with one candidate of m-line `mline` of the offer `text`."""
    ufrag = next(line[12:] for line in text.splitlines() if line.startswith("a=ice-ufrag:"))
    pwd = next(line[10:] for line in text.splitlines() if line.startswith("a=ice-pwd:"))
    mids = [line[6:] for line in text.splitlines() if line.startswith("a=mid:")]
    mid = mids[mline] if mline < len(mids) else mids[0]
    return "\r\n".join([f"a=ice-ufrag:{ufrag}", f"a=ice-pwd:{pwd}", "m=audio 9 UDP/TLS/RTP/SAVPF 0", f"a=mid:{mid}", f"a={candidate}", ""])


def description(kind, text):
    _, msg = GstSdp.SDPMessage.new_from_text(text)
    t = GstWebRTC.WebRTCSDPType.OFFER if kind == "offer" else GstWebRTC.WebRTCSDPType.ANSWER
    return GstWebRTC.WebRTCSessionDescription.new(t, msg)


class Session:
    """One WHIP/WHEP session of webrtcbin `w`: non-trickle POSTs once gathering is complete (every candidate
    in the offer); trickle POSTs at once and PATCHes each candidate with If-Match: the ETag."""

    def __init__(self, w, opts, before_offer=lambda: None):
        self.w, self.opts, self.before_offer = w, opts, before_offer
        self.auth = {"authorization": f"Bearer {opts['token']}"} if opts.get("token") else {}
        self.location = self.etag = self.offer = None
        self.queue, self.posted = [], False
        w.connect("on-negotiation-needed", lambda _w: GLib.idle_add(self.create_offer))
        w.connect("on-ice-candidate", self.on_candidate)
        w.connect("notify::ice-gathering-state", self.on_gathering)

    def create_offer(self):
        self.before_offer()
        promise = Gst.Promise.new()
        self.w.emit("create-offer", None, promise)
        promise.wait()
        reply = promise.get_reply()  # the offer lives in `reply`: used while it is alive
        done = Gst.Promise.new()
        self.w.emit("set-local-description", reply.get_value("offer"), done)
        done.wait()
        if self.opts.get("trickle"):
            GLib.idle_add(self.post)
        return False

    def post(self):
        self.posted = True
        self.offer = self.w.get_property("local-description").sdp.as_text()
        emit(event="offer", candidates=self.offer.count("a=candidate:"), bundleOnly=self.offer.count("a=bundle-only"))
        status, headers, body = http("POST", self.opts["url"], self.offer, {"content-type": "application/sdp", **self.auth})
        emit(event="answer", status=status, location=headers.get("location"), etag=headers.get("etag"),
             acceptPatch=headers.get("accept-patch"), sdp=body if status == 201 else None, error=body if status != 201 else None)
        if status != 201:
            return False
        self.location, self.etag = urllib.parse.urljoin(self.opts["url"], headers["location"]), headers.get("etag")
        self.w.emit("set-remote-description", description("answer", body), None)
        for c in self.queue:
            self.patch(*c)
        self.queue = []
        return False

    def patch(self, mline, candidate):
        headers = {"content-type": "application/trickle-ice-sdpfrag", **self.auth}
        if self.etag:
            headers["if-match"] = self.etag
        status, _, body = http("PATCH", self.location, sdpfrag(self.offer, mline, candidate), headers)
        emit(event="patch", status=status, error=body if status != 204 else None)

    def on_candidate(self, _w, mline, candidate):
        if self.opts.get("trickle") and candidate:
            GLib.idle_add(lambda: (self.patch(mline, candidate) if self.location else self.queue.append((mline, candidate))) and False)

    def on_gathering(self, *_):
        complete = self.w.get_property("ice-gathering-state").value_nick == "complete"
        if complete and not self.opts.get("trickle") and not self.posted:
            GLib.idle_add(self.post)

    def delete(self):
        if self.location:
            status, _, _ = http("DELETE", self.location, None, self.auth)
            emit(event="deleted", status=status)

    def state(self):
        return {"ice": self.w.get_property("ice-connection-state").value_nick,
                "connection": self.w.get_property("connection-state").value_nick}


def watch_bus(pipe):
    """Errors and warnings of the pipeline as events (a decoder that fails says so)."""
    bus = pipe.get_bus()
    bus.add_signal_watch()
    for kind in ("error", "warning"):
        bus.connect(f"message::{kind}", lambda _b, m, k=kind: emit(event=k, source=m.src.get_name(), text=str(m.parse_error()[0].message if k == "error" else m.parse_warning()[0].message)))


def run(setup):
    """Runs a GLib loop: `setup()` returns its stop callback; stdin closing or a 'stop' line ends it."""
    loop = GLib.MainLoop()
    stop = setup()

    def on_stdin(_fd, _cond):
        line = sys.stdin.readline()
        if not line or line.strip() == "stop":
            stop()
            loop.quit()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_stdin)
    loop.run()
