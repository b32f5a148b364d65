import { describe, it, expect } from '@jest/globals';
import { blockedAddress } from './address-policy.js';
import { endpointUrlProblem, ipLiteral } from './endpoint-url.js';

describe('webhook address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['192.0.2.10', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(blockedAddress(address)).toBe(`${address} is a ${range} address`);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('allows the public address %s', (address) => {
    expect(blockedAddress(address)).toBeUndefined();
  });

  it('checks URLs: https only unless private is allowed, no credentials, IP literals in any spelling the URL parser folds', () => {
    expect(endpointUrlProblem('https://hooks.acme.test/x', false)).toBeUndefined();
    expect(endpointUrlProblem('http://hooks.acme.test/x', false)).toBe('url must use https');
    expect(endpointUrlProblem('http://127.0.0.1:8080/x', true)).toBeUndefined();
    expect(endpointUrlProblem('ftp://hooks.acme.test/', true)).toBe('url must use https');
    expect(endpointUrlProblem('https://a:b@hooks.acme.test/', false)).toBe('url must not contain credentials');
    expect(endpointUrlProblem('/relative', false)).toBe('url must be an absolute URL');
    for (const url of [
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://[::1]/',
      'https://[::ffff:7f00:1]/',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.1/',
    ]) {
      expect(endpointUrlProblem(url, false)).toMatch(/^url must not point to a private, loopback, link-local or metadata address/);
    }
    expect(endpointUrlProblem('https://127.0.0.1/', true)).toBeUndefined();
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('hooks.acme.test')).toBeUndefined();
  });
});
