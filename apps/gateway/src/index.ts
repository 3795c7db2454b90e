export { GatewayModule } from './gateway.module';
export { serveHttp, stopOnSignals } from './bootstrap';
export type { RunningGateway } from './bootstrap';
