export { startEmulator } from './emulator.ts';
export { crc64, crc64Combine } from './crc64.ts';
export type {
  CamPolicy,
  CamStatement,
  EmulatorOptions,
  EmulatorStats,
  FaultConfig,
  FaultKind,
  FaultRule,
  RunningEmulator,
  StsRequest,
  StsResponse,
} from './types.ts';
