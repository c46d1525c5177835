# RTSP picture of the simulated PTZ camera (gst-rtsp-server). Node drives it over stdio:
#   stdin  {"pan","tilt","zoom","crop":{left,right,top,bottom}}  -> move the view on every live pipeline
#   stdin  {"snapshot": id}                                      -> stdout {"snapshot": id, "jpeg": base64}
#   stdin  {"keyframe": true}   -> the encoder's next frame is an IDR (ONVIF SetSynchronizationPoint)
#   stdout {"ready": true, "port": P} once listening.  stdin EOF (parent gone) -> exit, no orphans.
import argparse, base64, json, sys, threading
import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
gi.require_version('GstVideo', '1.0')
from gi.repository import Gst, GstRtspServer, GstVideo, GLib
from scene import ensure_scene

OUT = 'video/x-raw,width=1280,height=720,pixel-aspect-ratio=1/1'
OSD = ('clockoverlay name=osd halignment=left valignment=top shaded-background=true '
       'font-desc="Sans 16" time-format="%Y-%m-%d %H:%M:%S"')
# imagefreeze repeats the scene (not live: its live mode drops to ~7 fps here); clocksync paces it.
VIDEO = ('filesrc location={scene} ! pngdec ! videoconvert ! video/x-raw,format=I420 '
         '! imagefreeze ! video/x-raw,framerate=30/1 ! clocksync ! videocrop name=crop ! videoscale '
         f'! {OUT} ! {OSD} ! x264enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=2500 {{tools}} '
         '! video/x-h264,profile={profile} ! rtph264pay name=pay0 pt=96 config-interval=1')
# ultrafast turns CABAC and 8x8 transforms off, and x264 then writes the lowest profile its tools need
# (constrained-baseline) whatever the caps ask: the tools a main/high stream really uses are turned on.
PROFILE_TOOLS = {'constrained-baseline': '', 'main': 'cabac=true', 'high': 'cabac=true dct8x8=true'}
# G.711 A-law at 8 kHz: what most ONVIF cameras send, and nearly free to encode.
AUDIO = ('audiotestsrc is-live=true wave=sine freq=440 volume=0.1 ! audioconvert ! audioresample '
         '! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=97')
SNAP = ('filesrc location={scene} ! pngdec ! videoconvert ! video/x-raw,format=I420 ! videocrop name=crop '
        f'! videoscale ! {OUT} ! {OSD} ! videoconvert ! video/x-raw,format=RGB ! jpegenc quality=85 ! appsink name=sink')

out_lock = threading.Lock()
view = {'pan': 0.0, 'tilt': 0.0, 'zoom': 0.0, 'crop': None}
live = []  # (crop, osd) of every prepared media; one with a shared factory, more only across restarts
encoders = []  # x264enc of every prepared media, for forced keyframes


def say(msg):
    with out_lock:
        sys.stdout.write(json.dumps(msg) + '\n')
        sys.stdout.flush()


def apply(crop, osd):
    for side in ('left', 'right', 'top', 'bottom'):
        crop.set_property(side, int((view['crop'] or {}).get(side, 0)))
    osd.set_property('text', f"{args.name}  P {view['pan']:+.2f} T {view['tilt']:+.2f} Z {view['zoom']:.2f}")


def on_configure(_factory, media):
    pipe = media.get_element()
    pair = (pipe.get_by_name('crop'), pipe.get_by_name('osd'))
    apply(*pair)
    live.append(pair)
    media.connect('unprepared', lambda _m: live.remove(pair) if pair in live else None)
    enc = pipe.get_by_name('enc')
    encoders.append(enc)
    media.connect('unprepared', lambda _m: encoders.remove(enc) if enc in encoders else None)


def force_keyframe():
    # What a receiver's PLI does to a GStreamer sender: an upstream GstForceKeyUnit event into the encoder
    # (x264enc codes its next frame as an IDR, with SPS/PPS in front). all-headers: a joining decoder needs them.
    for enc in encoders:
        enc.send_event(GstVideo.video_event_new_upstream_force_key_unit(Gst.CLOCK_TIME_NONE, True, 0))


def on_line(line):
    try:
        msg = json.loads(line)
    except ValueError:
        sys.stderr.write(f'ignored bad control line: {line!r}\n')
        return False
    if msg.get('keyframe'):
        force_keyframe()
    elif 'snapshot' in msg:
        threading.Thread(target=snapshot, args=(msg['snapshot'],), daemon=True).start()
    else:
        view.update({k: msg[k] for k in ('pan', 'tilt', 'zoom', 'crop') if k in msg})
        for pair in live:
            apply(*pair)
    return False


def snapshot(req):
    # Rendered from the same scene, crop and overlay as the stream: fast, no RTSP round trip.
    pipe = Gst.parse_launch(SNAP.format(scene=scene))
    try:
        apply(pipe.get_by_name('crop'), pipe.get_by_name('osd'))
        pipe.set_state(Gst.State.PLAYING)
        sample = pipe.get_by_name('sink').emit('try-pull-sample', 2 * Gst.SECOND)
        if sample is None:
            return say({'snapshot': req, 'error': 'no frame within 2 s'})
        buf = sample.get_buffer()
        say({'snapshot': req, 'jpeg': base64.b64encode(buf.extract_dup(0, buf.get_size())).decode()})
    finally:
        pipe.set_state(Gst.State.NULL)


def read_stdin(loop):
    for line in sys.stdin:
        if line.strip():
            GLib.idle_add(on_line, line)
    GLib.idle_add(loop.quit)  # parent closed the pipe or died: leave with it


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--path', default='stream')
    p.add_argument('--name', default='PTZ-SIM')
    p.add_argument('--scene', default='2560x1440')
    # Many IP cameras send main or high profile, which WebRTC receivers need not decode: the room transcodes.
    p.add_argument('--profile', default='constrained-baseline', choices=['constrained-baseline', 'main', 'high'])
    args = p.parse_args()
    Gst.init(None)
    scene = ensure_scene(*map(int, args.scene.split('x')))
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(f'( {VIDEO.format(scene=scene, profile=args.profile, tools=PROFILE_TOOLS[args.profile])} {AUDIO} )')
    factory.set_shared(True)  # one pipeline for all clients, so one place to move the view
    # Side effect wanted: the media reports unseekable, so a joining client's PLAY (Range: npt=0-)
    # does not seek the shared pipeline back to 0 under the clients already watching.
    factory.set_publish_clock_mode(GstRtspServer.RTSPPublishClockMode.CLOCK_AND_OFFSET)
    factory.connect('media-configure', on_configure)
    server.get_mount_points().add_factory('/' + args.path.strip('/'), factory)
    try:
        server.create_source(None).attach(None)
    except GLib.Error as e:
        sys.stderr.write(f'cannot listen on {args.host}:{args.port}: {e.message}\n')
        sys.exit(2)
    loop = GLib.MainLoop()
    threading.Thread(target=read_stdin, args=(loop,), daemon=True).start()
    say({'ready': True, 'port': server.get_bound_port()})
    loop.run()
