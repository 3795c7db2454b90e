export { GatewayModule } from './gateway.module';
export { serveHttp } from './bootstrap';
export type { RunningGateway } from './bootstrap';
