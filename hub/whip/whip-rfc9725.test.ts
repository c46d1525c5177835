import { whipSuite } from './test/rfc9725-suite.js';

// RFC 9725 details of WHIP/WHEP on the embedded media plane (werift in the hub process).
whipSuite('WHIP/WHEP per RFC 9725 (werift)', () => undefined);
