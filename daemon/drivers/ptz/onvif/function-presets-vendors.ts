// Vendor tables of function ("special") presets: slot number → what calling it does, in the vendor's
// words. Only what a public source shows; each table names its sources. Dahua and Uniview: no public
// table was found (2026-12); their function slots are recognised by name only (function-presets.ts).

const range = (from: number, to: number, name: (i: number) => string) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [from + i, name(i + 1)]));

export interface VendorTable {
  sources: string[];
  presets: Record<number, string>;
}

export const VENDOR_TABLES = {
  hikvision: {
    sources: [
      // Names and numbers as the camera lists them through ONVIF GetPresets (300 slots on a Hikvision PTZ).
      'find_string "Call OSD menu": a Korean test report of a Hikvision PTZ over ONVIF — "Found 300 existing presets … Preset 33: Auto-flip, 34: Back to origin, 95: Call OSD menu, 99: Start auto scan"',
      // specialNo list of a DS-2SF8C442MXG1-ELWY/26 (ISAPI PTZ capabilities) and three names from its presets.xml.
      'pyronear adapter test (tests of pyro_camera_api hikvision adapter): specialNo 33–48, 90, 92–105; 92 "Set manual limits", 94 "Remote reboot", 95 "Call OSD menu"',
      'Hikvision Network Speed Dome user manuals: preset 95 shows the OSD menu (DS-2TD8166 manual p.37, easymanua.ls); preset 45 one-touch patrol (DS-2DE4225W-DE p.36); E series DS-2DE5184-AE p.25: 106–108 start park with frame/random/pattern scan, 130–132 start/stop/call pattern, 200 initialize PTZ parameters',
    ],
    presets: {
      33: 'Auto-flip',
      34: 'Back to origin',
      ...range(35, 38, (i) => `Call patrol ${i}`),
      39: 'Day mode',
      40: 'Night mode',
      ...range(41, 44, (i) => `Call pattern ${i}`),
      45: 'One-touch patrol',
      46: 'Day/Night auto',
      47: 'Special function (specialNo 47)',
      48: 'Special function (specialNo 48)',
      90: 'Special function (specialNo 90)',
      92: 'Set manual limits',
      93: 'Save manual limits',
      94: 'Remote reboot',
      95: 'Call OSD menu',
      96: 'Stop a scan',
      97: 'Start random scan',
      98: 'Start frame scan',
      99: 'Start auto scan',
      100: 'Start tilt scan',
      101: 'Start panorama scan',
      ...range(102, 105, (i) => `Call patrol ${i + 4}`),
      106: 'Start park with frame scan',
      107: 'Start park with random scan',
      108: 'Start park with pattern scan',
      130: 'Start pattern',
      131: 'Stop pattern',
      132: 'Call pattern',
      200: 'Initialize PTZ parameters',
    },
  },
  pelco: {
    sources: [
      'Pelco manual C1487M-D (Spectra II) p.26: preset 96 stops a scan, 97 random scan, 98 frame scan, 99 auto scan',
      'Pelco manual C466M-E (Pelco-D protocol) p.24: "180 Flip preset" = go to preset 0x21 (33), "Zero pan position" = go to preset 0x22 (34)',
    ],
    presets: {
      33: '180 flip',
      34: 'Zero pan position',
      96: 'Stop a scan',
      97: 'Start random scan',
      98: 'Start frame scan',
      99: 'Start auto scan',
    },
  },
  milesight: {
    sources: [
      'Milesight IPC user manual §6.3.3 "Special Presets" table (milesight.com document-center, ipc-series/ai): 33–50, "you can only call them but can\'t configure them"',
    ],
    presets: {
      33: 'Auto Flip',
      34: 'Go to Zero',
      35: 'Self Check',
      36: 'Patrol',
      ...range(37, 44, (i) => `Path${i}`),
      ...range(45, 48, (i) => `Pattern${i}`),
      49: 'Stop Scan',
      50: 'Auto Scan',
    },
  },
  dahua: { sources: [], presets: {} },
  uniview: { sources: [], presets: {} },
} satisfies Record<string, VendorTable> as Record<'hikvision' | 'pelco' | 'milesight' | 'dahua' | 'uniview', VendorTable>;
