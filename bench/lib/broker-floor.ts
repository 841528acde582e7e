// The broker's floor, measured in the same run as the cross-node pushes it is compared with: one
// small message published through the cluster's RabbitMQ and consumed back on loopback, as a node's
// commit announcement travels to the other node. A cross-node push cannot beat the commit floor plus
// this hop.
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { preciseNow, type Summary, summarize } from './stats';

export class BrokerFloor {
  private readonly samples: number[] = [];
  private arrived: (() => void) | null = null;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly queue: string,
  ) {}

  static async open(url: string): Promise<BrokerFloor> {
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    // Server-named, exclusive, gone with the connection: nothing is left on the broker.
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    const floor = new BrokerFloor(connection, channel, queue);
    await channel.consume(queue, () => floor.arrived?.(), { noAck: true });
    return floor;
  }

  /** Times one publish → consume round trip (the default exchange routes it to our own queue). */
  async sample(): Promise<void> {
    const started = preciseNow();
    const arrived = new Promise<void>((resolve) => {
      this.arrived = resolve;
    });
    this.channel.publish('', this.queue, Buffer.from('{"kind":"floor"}'));
    await arrived;
    this.samples.push(preciseNow() - started);
  }

  summary(): Summary {
    return summarize(this.samples);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
