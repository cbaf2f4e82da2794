import { ApiProperty } from '@nestjs/swagger';
import { OwnPropertiesFirst } from './own-properties-first.decorator.js';

const propertiesOf = (type: abstract new () => unknown): string[] => Reflect.getMetadata('swagger/apiModelPropertiesArray', type.prototype) as string[];

describe('OwnPropertiesFirst', () => {
  class Shared {
    @ApiProperty() enabled!: boolean;
    @ApiProperty() updatedAt!: string;
  }

  @OwnPropertiesFirst()
  class Kind extends Shared {
    @ApiProperty() identity!: string;
    @ApiProperty() realm!: string;
  }

  class Plain extends Shared {
    @ApiProperty() identity!: string;
  }

  it('lists the own properties first, then the inherited ones, each in declaration order', () => {
    expect(propertiesOf(Kind)).toEqual([':identity', ':realm', ':enabled', ':updatedAt']);
  });

  it('leaves the base class and other subclasses alone (Swagger lists inherited properties first)', () => {
    expect(propertiesOf(Shared)).toEqual([':enabled', ':updatedAt']);
    expect(propertiesOf(Plain)).toEqual([':enabled', ':updatedAt', ':identity']);
  });
});
