import { runGateway } from '../../gateway/main.js';
import { runRoomProcess } from './room-process-command.js';

export const run = (argv: string[]) => runRoomProcess(argv, (configFile) => runGateway({ configFile }));
