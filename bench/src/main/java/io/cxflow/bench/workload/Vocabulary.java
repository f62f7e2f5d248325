package io.cxflow.bench.workload;

import java.util.List;

/**
 * The words the benchmarks' generated events are made of: names, locales and time zones, a shop's
 * categories and products, pages and screens, referrers, browsers and phones (as {@code
 * manufacturer|model|os|version}).
 */
public final class Vocabulary {

    private Vocabulary() {}

    public static final List<String> FIRST_NAMES =
            List.of("Ann", "Marco", "Giulia", "Luca", "Sofia", "Jonas", "Emma", "Noah", "Chiara", "Matteo", "Lea");
    public static final List<String> LOCALES = List.of("it-IT", "de-DE", "en-GB", "fr-FR", "es-ES");
    public static final List<String> TIMEZONES = List.of("Europe/Rome", "Europe/Berlin", "Europe/London");
    public static final List<String> CATEGORIES =
            List.of("Apparel/Men/Shirts", "Apparel/Women/Dresses", "Shoes/Sneakers", "Home/Kitchen", "Beauty/Skin");
    public static final List<String> PRODUCTS =
            List.of("Linen Shirt", "Wrap Dress", "Trail Sneaker", "Espresso Cups (4)", "Hydrating Serum", "Wool Scarf");
    public static final List<String> PAGES = List.of("Home", "Category", "Product Detail", "Cart", "Search");
    public static final List<String> SCREENS = List.of("Home", "Product", "Cart", "Wishlist", "Store Finder");
    public static final List<String> REFERRERS =
            List.of("https://www.google.com/", "https://www.instagram.com/", "", "https://newsletter.example.com/");
    public static final List<String> USER_AGENTS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605");
    public static final List<String> PHONES =
            List.of("Apple|iPhone15,2|ios|18.1", "samsung|SM-S918B|android|15", "Google|Pixel 8|android|15");
}
