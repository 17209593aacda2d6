/**
 * The product types of the generated `shop` catalog: the world the built-in environment is made of. Each type has a
 * category path (WebShop's `product_category`, used by the type factor of the reward), a pool of attributes, option
 * dimensions with their values, and a price range in dollars.
 *
 * Option values are unique across the dimensions of one type, because an item page selects an option by its value
 * alone (`click[red]`), as WebShop does.
 */
export interface ProductType {
  readonly name: string;
  readonly category: readonly string[];
  readonly attributes: readonly string[];
  readonly options: Readonly<Record<string, readonly string[]>>;
  readonly price: readonly [number, number];
}

const apparelColors = ['black', 'white', 'red', 'navy', 'gray', 'green'] as const;
const apparelSizes = ['xs', 's', 'm', 'l', 'xl', 'xxl'] as const;
const shoeSizes = ['6', '7', '8', '9', '10', '11', '12'] as const;

export const PRODUCT_TYPES: readonly ProductType[] = [
  {
    name: 't-shirt',
    category: ['clothing', 'tops', 't-shirts'],
    attributes: ['cotton', 'polyester blend', 'slim fit', 'relaxed fit', 'short sleeve', 'long sleeve', 'v-neck',
      'crew neck', 'machine wash', 'moisture wicking'],
    options: { color: apparelColors, size: apparelSizes },
    price: [8, 40],
  },
  {
    name: 'hoodie',
    category: ['clothing', 'tops', 'hoodies'],
    attributes: ['fleece', 'cotton', 'zip up', 'pullover', 'heavyweight', 'machine wash', 'kangaroo pocket',
      'oversized'],
    options: { color: apparelColors, size: apparelSizes },
    price: [20, 70],
  },
  {
    name: 'jeans',
    category: ['clothing', 'bottoms', 'jeans'],
    attributes: ['stretch', 'slim fit', 'relaxed fit', 'high waist', 'bootcut', 'distressed', 'machine wash',
      'button fly'],
    options: { color: ['light blue', 'dark blue', 'black', 'gray'], size: ['28', '30', '32', '34', '36', '38'] },
    price: [25, 90],
  },
  {
    name: 'running shoes',
    category: ['shoes', 'athletic', 'running'],
    attributes: ['lightweight', 'breathable', 'non slip', 'mesh', 'cushioned', 'wide toe box', 'arch support'],
    options: { color: ['black', 'white', 'blue', 'red', 'gray'], size: shoeSizes },
    price: [30, 140],
  },
  {
    name: 'hiking boots',
    category: ['shoes', 'outdoor', 'boots'],
    attributes: ['waterproof', 'leather', 'insulated', 'ankle support', 'slip resistant', 'lightweight',
      'vibram sole'],
    options: { color: ['brown', 'black', 'tan', 'olive'], size: shoeSizes },
    price: [50, 200],
  },
  {
    name: 'backpack',
    category: ['bags', 'backpacks', 'daypacks'],
    attributes: ['waterproof', 'laptop compartment', 'lightweight', 'usb charging port', 'anti theft',
      'padded straps', 'large capacity'],
    options: { color: ['black', 'gray', 'navy', 'green', 'pink'] },
    price: [15, 90],
  },
  {
    name: 'coffee maker',
    category: ['home', 'kitchen', 'coffee makers'],
    attributes: ['programmable', 'stainless steel', 'single serve', '12 cup', 'auto shut off', 'thermal carafe',
      'reusable filter'],
    options: { color: ['black', 'silver', 'white', 'red'] },
    price: [20, 180],
  },
  {
    name: 'desk lamp',
    category: ['home', 'lighting', 'lamps'],
    attributes: ['led', 'dimmable', 'usb charging port', 'adjustable arm', 'touch control', 'eye caring',
      'clamp mount'],
    options: { color: ['black', 'white', 'silver', 'gold'] },
    price: [12, 70],
  },
  {
    name: 'face moisturizer',
    category: ['beauty', 'skin care', 'moisturizers'],
    attributes: ['fragrance free', 'hyaluronic acid', 'spf 30', 'for sensitive skin', 'paraben free', 'oil free',
      'vegan'],
    options: { size: ['1.7 oz', '2.5 oz', '3.4 oz'] },
    price: [8, 60],
  },
  {
    name: 'shampoo',
    category: ['beauty', 'hair care', 'shampoo'],
    attributes: ['sulfate free', 'for dry hair', 'natural ingredients', 'color safe', 'anti dandruff',
      'paraben free', 'tea tree oil'],
    options: { size: ['8 oz', '12 oz', '16 oz', '32 oz'], scent: ['unscented', 'lavender', 'citrus', 'coconut'] },
    price: [6, 40],
  },
  {
    name: 'phone case',
    category: ['electronics', 'accessories', 'cases'],
    attributes: ['shockproof', 'slim', 'clear', 'wireless charging compatible', 'kickstand', 'magnetic',
      'screen protector included'],
    options: { model: ['iphone 15', 'iphone 15 pro', 'galaxy s24', 'pixel 8'], color: ['black', 'blue', 'pink',
      'transparent'] },
    price: [7, 45],
  },
];

export const BRANDS = ['northwind', 'acme', 'brightline', 'summit', 'oakridge', 'lumina', 'veloce', 'harbor',
  'kestrel', 'everpeak', 'solace', 'ironwood', 'bluefin', 'maple & co', 'zenith', 'terra'] as const;
