// A download link cannot carry the bearer token, so for a server that wants tokens the page
// first asks for a ticket (docs/protocol.md, "POST /api/jobs/{key}/ticket") with the token
// in a header, and downloads from the URL it gets back, which needs no token and works for
// a minute. The token stays in the header; only the ticket is ever in a URL.
import { serverHref } from '../ui/output-link';

export class TicketError extends Error {}

// The download URL for the output whose ticket is asked at `ticketUrl`; throws TicketError
// with a reason a person can read.
export async function downloadTicket(ticketUrl: string, headers: Record<string, string>): Promise<string> {
  let response: Response;
  try {
    response = await fetch(ticketUrl, { method: 'POST', headers });
  } catch {
    throw new TicketError('the server could not be reached; try again once it is back');
  }
  if (!response.ok) throw new TicketError(await refusalOf(response));
  const body = (await response.json().catch(() => null)) as { url?: unknown } | null;
  if (typeof body?.url !== 'string' || body.url === '') throw new TicketError('the server answered without a download link');
  return serverHref(body.url);
}

// The server's own words when it gave them ({"error": {"code", "message"}}), said for a person.
async function refusalOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const said = typeof body?.error?.message === 'string' ? body.error.message : '';
  switch (response.status) {
    case 401: return 'the server did not accept this browser\'s access token; give it a new one with the button beside the server status';
    case 404: return 'the server no longer has this output (it may have been cleaned up, or the server restarted)';
    default: return `the server answered ${response.status}${said ? `: ${said}` : ''}`;
  }
}
