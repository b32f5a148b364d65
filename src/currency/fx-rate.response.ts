import { ApiProperty } from '@nestjs/swagger';

export class FxRatesResponse {
  @ApiProperty() ratesId!: string;
  @ApiProperty({ example: 'usd' }) base!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ example: 'manual' }) source!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { eur: '0.9234' }, description: 'exact decimal strings' }) rates!: Record<
    string,
    string
  >;
}

/** A stored rate, as every conversion records it. */
export class FxRateResponse {
  @ApiProperty({ example: 'fxr_…:eur' }) id!: string;
  @ApiProperty() base!: string;
  @ApiProperty() quote!: string;
  @ApiProperty({ example: '0.9234' }) rate!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() source!: string;
}
