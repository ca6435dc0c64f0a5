def build_price_query(min_price, max_price):
    return (
        "SELECT * FROM shop_product "
        f"WHERE price BETWEEN {min_price} AND {max_price} ORDER BY price"
    )
