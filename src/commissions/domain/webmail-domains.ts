/**
 * Free webmail and consumer mailbox domains (SPEC §11): two people sharing one of these share nothing but a
 * provider, so `self_referral` compares domains only outside this list. Data, not logic: extend it here.
 */
export const WEBMAIL_DOMAINS: readonly string[] = [
  'aol.com', 'comcast.net', 'fastmail.com', 'fastmail.fm', 'gmail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'googlemail.com',
  'hey.com', 'hotmail.co.uk', 'hotmail.com', 'hotmail.de', 'hotmail.fr', 'icloud.com', 'libero.it', 'live.com', 'mac.com',
  'mail.com', 'mail.ru', 'me.com', 'msn.com', 'naver.com', 'orange.fr', 'outlook.com', 'outlook.de', 'pm.me', 'proton.me',
  'protonmail.com', 'qq.com', 't-online.de', 'tutanota.com', 'web.de', 'yahoo.co.jp', 'yahoo.co.uk', 'yahoo.com', 'yahoo.de',
  'yahoo.fr', 'yandex.com', 'yandex.ru', 'ymail.com', 'zoho.com', '163.com', '126.com',
];
