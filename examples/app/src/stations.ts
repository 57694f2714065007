import { sleep } from 'greenlets';

/** A kitchen station. cook() is written once here; what blocking prepare() does is up to each subclass. */
export abstract class Station {
  cooked = 0;

  constructor(readonly name: string) {}

  cook(dish: string): string {
    const result = this.prepare(dish);
    this.cooked++;
    return `${this.name}: ${result}`;
  }

  protected abstract prepare(dish: string): string;
}

export class Grill extends Station {
  protected prepare(dish: string): string {
    sleep(0.002);
    return `grilled ${dish}`;
  }
}

export class Oven extends Station {
  private hot = false;

  protected prepare(dish: string): string {
    this.preheat();
    sleep(0.003);
    return `baked ${dish}`;
  }

  private preheat(): void {
    if (this.hot) return;
    sleep(0.001);
    this.hot = true;
  }
}

export class PizzaOven extends Oven {
  protected override prepare(dish: string): string {
    return `${super.prepare(dish)}, wood-fired`;
  }
}
