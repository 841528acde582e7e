// The demo organisation seeded into a fresh store, so the stub is usable the moment it starts.
import type { Role } from '../../protocol';

export const DEMO_PASSWORD = 'demo';

export interface DemoUser {
  id: string;
  name: string;
  department: string | null;
  roles: Role[];
  supervisorId: string | null;
}

// Supervisors are listed before their reports so rows can be inserted in order (foreign keys).
export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'heidi', name: 'Heidi Xu', department: null, roles: ['director'], supervisorId: null },
  { id: 'admin', name: 'Administrator', department: null, roles: ['admin'], supervisorId: null },
  { id: 'carol', name: 'Carol Wang', department: 'Sales', roles: ['manager'], supervisorId: 'heidi' },
  {
    id: 'frank',
    name: 'Frank Sun',
    department: 'Engineering',
    roles: ['team_lead', 'manager'],
    supervisorId: 'heidi',
  },
  { id: 'dave', name: 'Dave Liu', department: 'Finance', roles: ['finance'], supervisorId: 'heidi' },
  { id: 'grace', name: 'Grace Chen', department: 'Finance', roles: ['finance'], supervisorId: 'heidi' },
  { id: 'bob', name: 'Bob Li', department: 'Sales', roles: ['team_lead'], supervisorId: 'carol' },
  { id: 'alice', name: 'Alice Zhang', department: 'Sales', roles: ['employee'], supervisorId: 'bob' },
  { id: 'erin', name: 'Erin Zhao', department: 'Engineering', roles: ['employee'], supervisorId: 'frank' },
];
