import { create } from 'zustand';
import { connectApi, type ApiClient, type ApiConnection, type ConnectionState } from '../api/client';

interface ConnectionStore {
  state: ConnectionState;
  transport: ApiConnection['transport'];
}

const connection = connectApi();

/** The one API client of the renderer. */
export const api: ApiClient = connection.client;

export const useConnection = create<ConnectionStore>(() => ({ state: 'connecting', transport: connection.transport }));

connection.onStateChange((state) => useConnection.setState({ state }));
