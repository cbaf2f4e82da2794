import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config.js';
import { MasterKey } from './master-key.js';

/**
 * Makes the already validated {@link AppConfig} injectable everywhere. Validation happens before
 * Nest starts (in `main.ts`), so a bad value stops the server with a message naming the variable
 * instead of a stack trace from inside the container. The master key, loaded before Nest starts
 * too, is provided alongside.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, masterKey: MasterKey): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, cache: true, load: [() => ({ app: config })] })],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: MasterKey, useValue: masterKey },
      ],
      exports: [AppConfig, MasterKey],
    };
  }
}
