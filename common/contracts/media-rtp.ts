// Gateway → the room's media worker: remote participants' audio as RTP over loopback UDP. The gateway
// forwards each remote participant's Opus (payload type 111) to one of REMOTE_AUDIO_SLOTS fixed ports
// from `media.remoteAudioRtpPort` (gateway/uplink/remote-audio-forwarder.ts); the worker's recording
// pipeline mixes what arrives on them (daemon/drivers/media/recording-pipeline.ts). Pure constants.

/** Remote participants' audio: one fixed loopback port per slot (remoteAudioRtpPort + 0..3). */
export const REMOTE_AUDIO_SLOTS = 4;
