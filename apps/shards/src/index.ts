export { ShardsModule } from './shards.module';
