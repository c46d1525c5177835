"""Shared bits of the GStreamer webrtcbin WHIP publisher and WHEP viewer the interop tests start.

Plain HTTP (urllib) for the RFC 9725 exchange, one JSON line per event on stdout, and the SDP
helpers trickle needs. No project code: these clients stand for other people's WHIP/WHEP clients.
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
    """(status, headers, text); a non-2xx status is returned, not raised."""
    req = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as res:
            return res.status, dict(res.headers), res.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


def absolute(base, location):
    return urllib.parse.urljoin(base, location)


def sdp_of(text):
    _, msg = GstSdp.SDPMessage.new_from_text(text)
    return msg


def session(kind, text):
    t = GstWebRTC.WebRTCSDPType.OFFER if kind == "offer" else GstWebRTC.WebRTCSDPType.ANSWER
    return GstWebRTC.WebRTCSessionDescription.new(t, sdp_of(text))


def ice_of(text):
    """(ufrag, pwd, mids by m-line index) of an SDP."""
    ufrag = pwd = None
    mids = []
    for line in text.splitlines():
        if line.startswith("a=ice-ufrag:") and ufrag is None:
            ufrag = line[12:]
        elif line.startswith("a=ice-pwd:") and pwd is None:
            pwd = line[10:]
        elif line.startswith("a=mid:"):
            mids.append(line[6:])
    return ufrag, pwd, mids


def sdpfrag(text, mline, candidate):
    """An RFC 8840 trickle-ice-sdpfrag with one candidate (or end-of-candidates when candidate is None)."""
    ufrag, pwd, mids = ice_of(text)
    mid = mids[mline] if mline < len(mids) else mids[0]
    lines = [f"a=ice-ufrag:{ufrag}", f"a=ice-pwd:{pwd}", "m=audio 9 UDP/TLS/RTP/SAVPF 0", f"a=mid:{mid}"]
    lines.append(f"a={candidate}" if candidate else "a=end-of-candidates")
    return "\r\n".join(lines) + "\r\n"


def promise_reply(promise, field):
    promise.wait()
    reply = promise.get_reply()
    if reply is None or not reply.has_field(field):
        raise RuntimeError(f"webrtcbin gave no {field}: {reply.to_string() if reply else None}")
    return reply.get_value(field).copy()  # the value lives in `reply`, which goes with this frame


def run(loop_setup):
    """Runs a GLib loop; stdin closing or a 'stop' line ends it through loop_setup's stop callback."""
    loop = GLib.MainLoop()
    stop = loop_setup(loop)

    def on_stdin(_fd, _cond):
        line = sys.stdin.readline()
        if not line or line.strip() == "stop":
            stop()
            loop.quit()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_stdin)
    loop.run()
