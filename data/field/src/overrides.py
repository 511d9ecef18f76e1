# Brand field left empty where the platform has no brand field (Facebook Marketplace,
# most Kleinanzeigen / Avito / Instagram-WhatsApp listings) - applied by title prefix.
BLANK_BRAND_PREFIXES = [
 "Nike Air Max 90 Mens size 10", "Cartier Santos de Cartier Medium", "Samsung Galaxy Buds3 Pro",
 "Huge LEGO lot 5 lbs", "Dyson V8 Absolute cordless", "Ray Ban Aviator RB3025 gold frame",
 "Ray-Ban Meta Wayfarer Gen 2", "Olaplex No.3 Hair Perfector 100ml - salon stock",
 "Omega Speedmaster Reduced 3510.50", "Nike Air Force 1 weiß Gr. 43", "DS Jordan 1 High OG Chicago",
 "Chanel Boy Bag Old Medium", "Sac Polène Numéro Un noir", "Кроссовки Найк Air Max 270",
 "Micheal Kors Crossbody Purse", "Pandora Moments bracelet with 6 charms",
 "Audemars Piguet Royal Oak Offshore Chronograph", "Beats Studio Pro Wireless", "Apple Watch Ultra 2 49mm",
]
