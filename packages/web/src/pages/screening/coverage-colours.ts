/** Red (little reached) to green (nearly all): the colours of the five coverage bands (map, legend, table). */
export const BAND_COLOURS = ['#f5222d', '#fa8c16', '#fadb14', '#a0d911', '#389e0d'];
