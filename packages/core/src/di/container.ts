import 'reflect-metadata';
import { container, type DependencyContainer } from 'tsyringe';

/** A fresh child container: one per engine instance, so engines never share registrations. */
export function createEngineContainer(): DependencyContainer {
  return container.createChildContainer();
}
