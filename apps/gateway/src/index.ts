export { GatewayModule } from './gateway.module';
export { serveHttp } from './bootstrap';
export { tuneHeapGrowth } from './heap';
export type { RunningGateway } from './bootstrap';
