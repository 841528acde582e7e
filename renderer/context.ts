// What every view needs: the bridge, the strings and formatters of the current language.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SignoffBridge } from './bridge-types';
import type { Catalog, Formatters } from './i18n';

export interface AppContextValue {
  bridge: SignoffBridge;
  t: Catalog;
  fmt: Formatters;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
