"""What a viewer shows and plays: H.264 RTP → avdec_h264 (frames counted), Opus RTP → opusdec (RMS measured).

`Decoders(pipe).attach(pad, media)` links an RTP pad to its decoder; `stats()` is the running totals: frames
decoded, audio seconds decoded, and the RMS (0..1 of full scale) of the audio decoded since the last call.
"""

import array
import math

from gst_whip_common import Gst

# As a real viewer does: the decoder asks for a keyframe (PLI through webrtcbin) when it starts mid-GOP or loses
# one. Without it a publisher that sends keyframes only on request (Chromium) left the viewer with no picture
# whenever the one keyframe the hub asks for at connect arrived before this chain was linked (interop matrix flake).
CHAINS = {
    "video": "rtph264depay request-keyframe=true ! avdec_h264 automatic-request-sync-points=true ! fakesink name=out sync=false async=false",
    "audio": "rtpopusdepay ! opusdec ! audioconvert ! audio/x-raw,format=F32LE,channels=1 ! fakesink name=out sync=false async=false",
}


class Decoders:
    def __init__(self, pipe):
        self.pipe = pipe
        self.frames = 0
        self.audio_seconds = 0.0
        self.sum_squares, self.samples = 0.0, 0

    def attach(self, pad, media):
        if media not in CHAINS:
            return
        chain = Gst.parse_bin_from_description(CHAINS[media], True)
        self.pipe.add(chain)
        chain.sync_state_with_parent()
        result = pad.link(chain.get_static_pad("sink"))
        if result != Gst.PadLinkReturn.OK:
            raise RuntimeError(f"{media}: {pad.get_name()} does not link to its decoder: {result.value_nick}")
        sink = chain.get_by_name("out").get_static_pad("sink")
        sink.add_probe(Gst.PadProbeType.BUFFER, self.on_video if media == "video" else self.on_audio)

    def on_video(self, _pad, _info):
        self.frames += 1
        return Gst.PadProbeReturn.OK

    def on_audio(self, _pad, info):
        buf = info.get_buffer()
        ok, m = buf.map(Gst.MapFlags.READ)
        if ok:
            samples = array.array("f", bytes(m.data))
            buf.unmap(m)
            self.sum_squares += sum(x * x for x in samples)
            self.samples += len(samples)
            self.audio_seconds += len(samples) / 48000
        return Gst.PadProbeReturn.OK

    def stats(self):
        rms = math.sqrt(self.sum_squares / self.samples) if self.samples else 0.0
        self.sum_squares, self.samples = 0.0, 0
        return {"frames": self.frames, "audioSeconds": round(self.audio_seconds, 3), "rms": round(rms, 4)}
