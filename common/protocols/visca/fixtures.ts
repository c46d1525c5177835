// Byte sequences as printed in Sony VISCA command lists (EVI-D70 / EVI-H100S / BRC-H900 technical
// manuals), camera address 1. Kept as data so encoders and decoders are checked against the manual.

const b = (s: string) => Uint8Array.from(s.split(' ').map((x) => parseInt(x, 16)));

export const MANUAL = {
  addressSet: b('88 30 01 FF'),
  addressSetReply: b('88 30 02 FF'),
  ifClearBroadcast: b('88 01 00 01 FF'),
  ifClear: b('81 01 00 01 FF'),
  cancelSocket1: b('81 21 FF'),
  // Pan-tiltDrive at full speed (VV = 0x18, WW = 0x14).
  up: b('81 01 06 01 18 14 03 01 FF'),
  down: b('81 01 06 01 18 14 03 02 FF'),
  left: b('81 01 06 01 18 14 01 03 FF'),
  right: b('81 01 06 01 18 14 02 03 FF'),
  upLeft: b('81 01 06 01 18 14 01 01 FF'),
  downRight: b('81 01 06 01 18 14 02 02 FF'),
  stop: b('81 01 06 01 18 14 03 03 FF'),
  // AbsolutePosition pan +0x0990 (right end), tilt −0x0510 (0xFAF0) at speeds 0x0C / 0x0A.
  absolute: b('81 01 06 02 0C 0A 00 09 09 00 0F 0A 0F 00 FF'),
  // RelativePosition pan −0x0100 (0xFF00), tilt +0x0020.
  relative: b('81 01 06 03 18 14 0F 0F 00 00 00 00 02 00 FF'),
  home: b('81 01 06 04 FF'),
  reset: b('81 01 06 05 FF'),
  zoomStop: b('81 01 04 07 00 FF'),
  zoomTeleStd: b('81 01 04 07 02 FF'),
  zoomWideStd: b('81 01 04 07 03 FF'),
  zoomTele5: b('81 01 04 07 25 FF'),
  zoomWide2: b('81 01 04 07 32 FF'),
  zoomDirect4000: b('81 01 04 47 04 00 00 00 FF'),
  memoryReset3: b('81 01 04 3F 00 03 FF'),
  memorySet3: b('81 01 04 3F 01 03 FF'),
  memoryRecall15: b('81 01 04 3F 02 0F FF'),
  panTiltPosInq: b('81 09 06 12 FF'),
  zoomPosInq: b('81 09 04 47 FF'),
  versionInq: b('81 09 00 02 FF'),
  // Replies from camera 1.
  ack1: b('90 41 FF'),
  ack2: b('90 42 FF'),
  completion1: b('90 51 FF'),
  completionNoSocket: b('90 50 FF'),
  syntaxError: b('90 60 02 FF'),
  bufferFull: b('90 60 03 FF'),
  cancelled1: b('90 61 04 FF'),
  noSocket2: b('90 62 05 FF'),
  notExecutable1: b('90 61 41 FF'),
  // Pan-tiltPosInq reply: pan −0x0990 (F670), tilt +0x0100.
  panTiltPos: b('90 50 0F 06 07 00 00 01 00 00 FF'),
  // CAM_ZoomPosInq reply: 0x2000 (half way on a 0..0x4000 lens).
  zoomPos: b('90 50 02 00 00 00 FF'),
  // CAM_VersionInq reply: vendor 0x0020 (Sony), model 0x0519, ROM 0x0102, 2 sockets.
  version: b('90 50 00 20 05 19 01 02 02 FF'),
} as const;
