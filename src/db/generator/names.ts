/** Name lists for people and places (fictional, East-African flavoured, as in the openIMIS demo). */
import type { Prng } from './prng.js';

export const MALE_NAMES = [
  'Joseph', 'John', 'James', 'Peter', 'Paul', 'David', 'Daniel', 'Emmanuel', 'Elias', 'Amani', 'Baraka',
  'Juma', 'Hamisi', 'Hassan', 'Hussein', 'Ali', 'Omari', 'Rashidi', 'Said', 'Salim', 'Bakari', 'Musa',
  'Ibrahim', 'Issa', 'Yusuf', 'Abdallah', 'Athumani', 'Ramadhani', 'Shabani', 'Selemani', 'Mohamedi',
  'Frank', 'George', 'Godfrey', 'Godwin', 'Charles', 'Richard', 'Robert', 'Michael', 'Samuel', 'Simon',
  'Stephen', 'Thomas', 'William', 'Zakaria', 'Julius', 'Augustino', 'Benedict', 'Boniface', 'Cosmas',
  'Dominic', 'Edward', 'Erasto', 'Faustine', 'Felix', 'Gabriel', 'Gerald', 'Gideon', 'Hamza', 'Jackson',
  'Jeremiah', 'Joel', 'Jonas', 'Kassim', 'Khamis', 'Lazaro', 'Leonard', 'Lucas', 'Makame', 'Mathias',
  'Nassoro', 'Nuhu', 'Patrick', 'Raphael', 'Reuben', 'Saidi', 'Stanley', 'Tumaini', 'Vincent', 'Wilson',
  'Yohana', 'Zuberi', 'Abeid', 'Ally', 'Anthony', 'Bernard', 'Christopher', 'Dennis', 'Elisha', 'Ezekiel',
  'Fadhili', 'Hemedi', 'Idrisa', 'Jafari', 'Kelvin', 'Lameck', 'Msafiri', 'Nestory', 'Obadia', 'Petro',
];

export const FEMALE_NAMES = [
  'Mary', 'Anna', 'Grace', 'Elizabeth', 'Agnes', 'Rose', 'Esther', 'Sarah', 'Rehema', 'Mwanaisha', 'Amina',
  'Fatuma', 'Zainabu', 'Halima', 'Mwajuma', 'Asha', 'Mariamu', 'Saida', 'Zawadi', 'Neema', 'Upendo',
  'Furaha', 'Imani', 'Tumaini', 'Rahma', 'Salma', 'Hadija', 'Aisha', 'Mwanahawa', 'Subira', 'Joyce',
  'Janeth', 'Jane', 'Lucy', 'Catherine', 'Christina', 'Dorothy', 'Edina', 'Eliza', 'Emiliana', 'Eva',
  'Flora', 'Gloria', 'Happiness', 'Irene', 'Jacqueline', 'Judith', 'Lilian', 'Magreth', 'Martha', 'Monica',
  'Nuru', 'Pendo', 'Prisca', 'Rebecca', 'Ruth', 'Scholastica', 'Stella', 'Tabitha', 'Theresia', 'Veronica',
  'Winfrida', 'Yusta', 'Zuhura', 'Mwanaidi', 'Mwantumu', 'Tatu', 'Mwanamisi', 'Hawa', 'Kuruthum', 'Mwasiti',
  'Paulina', 'Philomena', 'Regina', 'Sabina', 'Sophia', 'Tecla', 'Anastazia', 'Beatrice', 'Consolata',
  'Deborah', 'Felista', 'Getrude', 'Helena', 'Josephine', 'Leah', 'Naomi', 'Priscilla', 'Salome', 'Violet',
];

export const SURNAMES = [
  'Mwakalinga', 'Mushi', 'Massawe', 'Kimaro', 'Swai', 'Mrema', 'Lyimo', 'Shirima', 'Temu', 'Minja',
  'Mollel', 'Laizer', 'Saning\'o', 'Kisanga', 'Mbwambo', 'Mhina', 'Kombo', 'Juma', 'Hamisi', 'Mohamed',
  'Ally', 'Omari', 'Said', 'Mussa', 'Rajabu', 'Ramadhani', 'Shabani', 'Athumani', 'Bakari', 'Salum',
  'Mwita', 'Chacha', 'Marwa', 'Magesa', 'Nyerere', 'Wambura', 'Mniko', 'Masanja', 'Maganga', 'Mabula',
  'Shija', 'Kulwa', 'Doto', 'Lukumay', 'Ngowi', 'Urassa', 'Makundi', 'Kessy', 'Macha', 'Tarimo',
  'Mwakyusa', 'Mwasomola', 'Kyando', 'Mwakasege', 'Mwaipopo', 'Sanga', 'Mgaya', 'Kihwele', 'Nyagawa', 'Mlowe',
  'Ngonyani', 'Komba', 'Haule', 'Mapunda', 'Nchimbi', 'Kapinga', 'Ndunguru', 'Millinga', 'Mbunda', 'Luoga',
  'Mtenga', 'Mosha', 'Moshi', 'Kileo', 'Massay', 'Akyoo', 'Mariki', 'Malisa', 'Kavishe', 'Assey',
  'Mpanda', 'Mtambo', 'Sichalwe', 'Simbeye', 'Mwampashi', 'Mwansasu', 'Kalinga', 'Silayo', 'Njau', 'Mbise',
  'Pallangyo', 'Kaaya', 'Nnko', 'Sumari', 'Ayo', 'Nko', 'Kivuyo', 'Lema', 'Ulomi', 'Meela',
  'Msuya', 'Mfinanga', 'Kapufi', 'Kayombo', 'Chilongani', 'Chiwanga', 'Lugendo', 'Mhagama', 'Mlelwa', 'Ndimbo',
  'Mbilinyi', 'Mwalongo', 'Kiwelu', 'Mmari', 'Mlay', 'Rwegasira', 'Rweyemamu', 'Kamugisha', 'Mutayoba', 'Byabato',
  'Kagaruki', 'Buberwa', 'Bashaija', 'Lwakatare', 'Katunzi', 'Ishengoma', 'Tibaijuka', 'Mugisha', 'Kaijage', 'Ntiro',
];

const SYLLABLES = [
  'ba', 'bo', 'bu', 'ka', 'ki', 'ko', 'ku', 'la', 'li', 'lo', 'ma', 'me', 'mi', 'mo', 'mu', 'na', 'ne', 'ni',
  'no', 'nu', 'pa', 'pe', 'ra', 'ri', 'ro', 'sa', 'se', 'si', 'so', 'ta', 'te', 'ti', 'to', 'tu', 'wa', 'ya',
  'za', 'zi', 'ga', 'go', 'ha', 'hi', 'ja', 'ji', 'nda', 'ndi', 'nga', 'ngo', 'mba', 'mbe', 'nya', 'shi', 'cha',
];

const STREETS = ['road', 'street', 'lane', 'avenue', 'path', 'close'];

/** A pronounceable place name of 2–4 syllables, capitalised. */
export function placeName(rng: Prng): string {
  const n = rng.weighted([2, 3, 4], [3, 5, 2]);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(SYLLABLES);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function streetAddress(rng: Prng): string {
  return `${placeName(rng)} ${rng.pick(STREETS)} ${rng.int(1, 250)}`;
}

export function phoneNumber(rng: Prng): string {
  return `+2557${rng.pick(['1', '4', '5', '6', '8'])}${rng.digits(7)}`;
}

/** Letters only, lower case, for e-mail addresses. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}

export function emailOf(rng: Prng, first: string, last: string): string {
  return `${slug(first)}.${slug(last)}${rng.int(1, 999)}@${rng.pick(['mail.example', 'example.org', 'example.net'])}`;
}
