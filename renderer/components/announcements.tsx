// The latest announcements from the organisation (newest first), when the core provides them.
import type { Announcement } from '../../protocol/events';
import { useApp } from '../context';

const SHOWN = 3;

export function Announcements({ announcements }: { announcements: readonly Announcement[] }) {
  const { t, fmt } = useApp();
  return (
    <aside class="announcements" aria-labelledby="announcements-title" data-testid="announcements">
      <h2 id="announcements-title">{t.announcements}</h2>
      <ul>
        {announcements.slice(0, SHOWN).map((item) => (
          <li key={item.id}>
            <strong>{item.title}</strong>
            {item.body && <p>{item.body}</p>}
            <small>{t.announcementBy(item.author.name, fmt.dateTime(item.at))}</small>
          </li>
        ))}
      </ul>
    </aside>
  );
}
