export { AnalyticsModule } from './analytics.module';
export { startAnalytics } from './start-analytics';
