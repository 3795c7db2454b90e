export { FirehoseModule } from './firehose.module';
export { startFirehose } from './start-firehose';
