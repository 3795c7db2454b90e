import { render } from 'preact';
import { Link } from './components/link';
import { ApplicationPage } from './pages/application-page';
import { ApplicationsPage } from './pages/applications-page';
import { DeliveryStreamPage } from './pages/delivery-stream-page';
import { DeliveryStreamsPage } from './pages/delivery-streams-page';
import { StreamPage } from './pages/stream-page';
import { StreamsPage } from './pages/streams-page';
import { match, usePath } from './router';
import './style.css';

/** The page a console path shows. */
function Page({ path }: { path: string }) {
  let params: Record<string, string> | undefined;
  if ((params = match('/streams/:name', path))) return <StreamPage key={params.name} name={params.name!} />;
  if (match('/delivery-streams', path)) return <DeliveryStreamsPage />;
  if ((params = match('/delivery-streams/:name', path))) return <DeliveryStreamPage key={params.name} name={params.name!} />;
  if (match('/analytics', path)) return <ApplicationsPage />;
  if ((params = match('/analytics/:name', path))) return <ApplicationPage key={params.name} name={params.name!} />;
  if (match('/', path) || match('/streams', path)) return <StreamsPage />;
  return <p>No page at {path}.</p>;
}

function Console() {
  const path = usePath();
  const section = path.split('/')[1] || 'streams';
  return (
    <>
      <nav>
        <b>Shardline</b>
        {[
          ['streams', '/', 'Streams'],
          ['delivery-streams', '/delivery-streams', 'Delivery streams'],
          ['analytics', '/analytics', 'Analytics'],
        ].map(([id, to, label]) => (
          <span key={id} class={section === id ? 'active' : ''}>
            <Link to={to!}>{label}</Link>
          </span>
        ))}
        <a href="/docs">API</a>
      </nav>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}

render(<Console />, document.getElementById('app')!);
