/** Pure parts of a payment's diagnosis: why it is unattributed and which leads it may belong to. */

export interface CandidateLead {
  leadId: string;
  email: string;
  partnerId: string;
}

export interface Candidate extends CandidateLead {
  why: string;
}

// Sharing one of these domains says nothing about being the same customer.
const PUBLIC_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
]);

export const splitEmail = (email: string): { local: string; domain: string } => {
  const at = email.lastIndexOf('@');
  return { local: email.slice(0, at).toLowerCase(), domain: email.slice(at + 1).toLowerCase() };
};

export const isPublicDomain = (domain: string): boolean => PUBLIC_DOMAINS.has(domain.toLowerCase());

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** Leads whose email is the same, a near typo, the same person at another domain, or a colleague at the same company domain; best first. */
export function rankCandidates(paymentEmail: string, leads: CandidateLead[], max = 10): Candidate[] {
  const target = splitEmail(paymentEmail);
  const full = paymentEmail.toLowerCase();
  const scored: { c: Candidate; score: number }[] = [];
  for (const lead of leads) {
    const email = lead.email.toLowerCase();
    const { local, domain } = splitEmail(email);
    const distance = editDistance(full, email);
    let why: string | null = null;
    let score = 0;
    if (distance === 0) [why, score] = ['same email address', 0];
    else if (distance <= 2) [why, score] = [`email differs by ${distance} character${distance > 1 ? 's' : ''}`, distance];
    else if (local === target.local) [why, score] = [`same address at another domain (${domain})`, 3];
    else if (domain === target.domain && !isPublicDomain(domain)) [why, score] = [`same email domain ${domain}`, 4];
    if (why) scored.push({ c: { ...lead, why }, score });
  }
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, max)
    .map((s) => s.c);
}
