import { runGateway } from '../../gateway/main.js';
import { roomProcessUsage, runRoomProcess } from './room-process-command.js';

export const usage = roomProcessUsage(
  'gateway',
  'Chạy cổng kết nối của phòng: liên kết WebRTC tới trung tâm, cầu nối cho màn hình phòng, /state.',
  'Run the room gateway: the WebRTC link to the hub, the kiosk bridge on loopback, /state.',
);

export const run = (argv: string[]) => runRoomProcess(argv, (configFile) => runGateway({ configFile }));
