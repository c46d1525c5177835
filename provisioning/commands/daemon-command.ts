import { runDaemon } from '../../daemon/main.js';
import { roomProcessUsage, runRoomProcess } from './room-process-command.js';

export const usage = roomProcessUsage(
  'daemon',
  'Chạy dịch vụ phòng tiếp dân: camera, âm thanh, ghi hình, gửi bản ghi, màn hình phòng (API :8080).',
  'Run the room daemon: cameras, audio, recording, forwarding, kiosk page (API :8080).',
);

export const run = (argv: string[]) => runRoomProcess(argv, (configFile) => runDaemon({ configFile }));
