/**
 * The subset of java.time.format.DateTimeFormatter patterns Firehose prefixes use
 * (`!{timestamp:yyyy/MM/dd/HH}`), formatted in UTC. Letters: y/u (year), M (month, MMM/MMMM
 * names), d, D (day of year), H, h, k, K, m, s, S (fraction), E (day name), a (AM/PM);
 * text in single quotes is literal and '' is a quote. Other letters are refused, as
 * DateTimeFormatter.ofPattern refuses unknown letters. Hand-written: the npm date libraries
 * speak Unicode/LDML or strftime patterns, which differ from Java's on several letters.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Token = { literal: string } | { letter: string; count: number };

/** Parses a pattern; throws on an unknown letter or an unclosed quote. */
export function parseJavaDatePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw new Error(`Pattern ends with an incomplete string literal: ${pattern}`);
      tokens.push({ literal: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      if (!'yuMdDHhkKmsSEa'.includes(c)) throw new Error(`Unknown pattern letter: ${c}`);
      tokens.push({ letter: c, count: j - i });
      i = j;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

/** Formats epoch milliseconds (UTC) with a Java DateTimeFormatter pattern. */
export function formatJavaDate(pattern: string, epochMs: number): string {
  const date = new Date(epochMs);
  return parseJavaDatePattern(pattern)
    .map((token) => ('literal' in token ? token.literal : field(token.letter, token.count, date)))
    .join('');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function field(letter: string, count: number, date: Date): string {
  const hour = date.getUTCHours();
  switch (letter) {
    case 'y':
    case 'u': {
      const year = date.getUTCFullYear();
      return count === 2 ? pad(year % 100, 2) : pad(year, count);
    }
    case 'M': {
      const month = date.getUTCMonth();
      if (count === 3) return MONTHS[month].slice(0, 3);
      if (count >= 4) return MONTHS[month];
      return pad(month + 1, count);
    }
    case 'd':
      return pad(date.getUTCDate(), count);
    case 'D': {
      const start = Date.UTC(date.getUTCFullYear(), 0, 1);
      return pad(Math.floor((date.getTime() - start) / 86_400_000) + 1, count);
    }
    case 'H':
      return pad(hour, count);
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    case 'k':
      return pad(hour === 0 ? 24 : hour, count);
    case 'K':
      return pad(hour % 12, count);
    case 'm':
      return pad(date.getUTCMinutes(), count);
    case 's':
      return pad(date.getUTCSeconds(), count);
    case 'S':
      return pad(date.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count);
    case 'E':
      return count >= 4 ? DAYS[date.getUTCDay()] : DAYS[date.getUTCDay()].slice(0, 3);
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    default:
      throw new Error(`Unknown pattern letter: ${letter}`);
  }
}
