import { runDaemon } from '../../daemon/main.js';
import { runRoomProcess } from './room-process-command.js';

export const run = (argv: string[]) => runRoomProcess(argv, (configFile) => runDaemon({ configFile }));
