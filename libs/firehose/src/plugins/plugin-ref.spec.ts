import { parsePluginRef, pluginArn } from './plugin-ref';

describe('parsePluginRef', () => {
  it('reads Lambda function ARNs with and without a qualifier', () => {
    expect(parsePluginRef('arn:aws:lambda:us-east-1:123456789012:function:enrich')).toEqual({ name: 'enrich', version: 'latest' });
    expect(parsePluginRef('arn:aws:lambda:us-east-1:123456789012:function:enrich:$LATEST')).toEqual({ name: 'enrich', version: 'latest' });
    expect(parsePluginRef('arn:aws:lambda:eu-west-1:123456789012:function:enrich:7')).toEqual({ name: 'enrich', version: 7 });
  });

  it('reads plain names', () => {
    expect(parsePluginRef('enrich')).toEqual({ name: 'enrich', version: 'latest' });
    expect(parsePluginRef('enrich:3')).toEqual({ name: 'enrich', version: 3 });
    expect(parsePluginRef('enrich:$LATEST')).toEqual({ name: 'enrich', version: 'latest' });
  });

  it('refuses aliases, bad names and other ARNs', () => {
    expect(() => parsePluginRef('enrich:prod')).toThrow('aliases are not supported');
    expect(() => parsePluginRef('enrich:0')).toThrow('Not a plugin version');
    expect(() => parsePluginRef('bad name')).toThrow('Not a plugin name');
    expect(() => parsePluginRef('arn:aws:s3:::bucket')).toThrow('Not a plugin reference');
  });

  it('writes the ARN a version is invoked as', () => {
    expect(pluginArn('us-east-1', '000000000000', 'enrich', 2)).toBe('arn:aws:lambda:us-east-1:000000000000:function:enrich:2');
    expect(pluginArn('us-east-1', '000000000000', 'enrich', 'latest')).toBe('arn:aws:lambda:us-east-1:000000000000:function:enrich:$LATEST');
  });
});
