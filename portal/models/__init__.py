"""All models, importable from one place (Alembic and the app load them all)."""

from portal.models.accounts import (
    CUSTOMER_ROLES,
    STAFF_ROLES,
    Address,
    Company,
    CompanyStatus,
    CustomerGroup,
    PaymentTerms,
    RepAssignment,
    Role,
    TokenPurpose,
    Unit,
    UnitKind,
    User,
    UserToken,
)
from portal.models.approvals import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalStep,
    AuditEntry,
)
from portal.models.backoffice import (
    AccountApplication,
    ApplicationStatus,
    ImportJob,
    ImportStatus,
    OutboxMessage,
)
from portal.models.billing import (
    BillingProfile,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoicePayment,
    InvoiceReminder,
)
from portal.models.carts import Cart, CartLine, ShoppingList, ShoppingListLine
from portal.models.catalog import (
    Category,
    DeliveryZone,
    Product,
    ProductSubstitute,
    Stock,
    VisibilityRule,
    Warehouse,
)
from portal.models.claims import Claim, ClaimReason, ClaimStatus
from portal.models.content import (
    Attribute,
    DocumentKind,
    ProductAttribute,
    ProductDocument,
    ProductImage,
    ProductVideo,
    SellerPage,
    TermsVersion,
)
from portal.models.contracts import FrameworkContract, FrameworkContractLine
from portal.models.integration import (
    ApiClient,
    IdempotentAnswer,
    OrderReference,
    WebhookDelivery,
    WebhookSubscription,
)
from portal.models.offline import ReplayedChange
from portal.models.orders import (
    BoughtProduct,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
    StockReservation,
)
from portal.models.pricing import ContractPrice, PriceList, PriceTier, Promotion
from portal.models.quotes import Quote, QuoteLine, QuoteMessage, QuoteStatus, QuoteVersion
from portal.models.stamps import ReferenceStamp
from portal.models.storefronts import Storefront, StorefrontKind
from portal.models.worker import PeriodicRun, WorkerHeartbeat

__all__ = [
    "ReferenceStamp",
    "Storefront", "StorefrontKind",
    "CUSTOMER_ROLES", "STAFF_ROLES", "AccountApplication", "Address", "ApplicationStatus",
    "ApprovalRequest", "ApprovalRule", "ApprovalStatus", "ApprovalStep", "AuditEntry", "Cart",
    "CartLine", "Category", "DeliveryZone", "Company", "CompanyStatus", "CustomerGroup",
    "ImportJob",
    "BoughtProduct", "ImportStatus", "Order", "OrderEvent", "OrderLine", "OrderStatus",
    "OutboxMessage",
    "PaymentTerms", "PriceList", "PriceTier", "Product", "RepAssignment", "Role", "Shipment",
    "ShipmentLine", "ShoppingList", "ShoppingListLine", "Stock", "TokenPurpose", "Unit",
    "UnitKind", "User", "UserToken", "VisibilityRule", "Warehouse",
    "ApiClient", "IdempotentAnswer", "OrderReference", "WebhookDelivery", "WebhookSubscription",
    "PeriodicRun", "WorkerHeartbeat",
    "BillingProfile", "Invoice", "InvoiceCounter", "InvoiceKind", "InvoiceLine", "InvoicePayment",
    "InvoiceReminder",
    "Quote", "QuoteLine", "QuoteMessage", "QuoteStatus", "QuoteVersion",
    "ContractPrice", "Promotion",
    "Attribute", "DocumentKind", "ProductAttribute", "ProductDocument", "ProductImage",
    "ProductVideo", "SellerPage", "TermsVersion",
    "ProductSubstitute", "StockReservation",
    "ReplayedChange",
    "Claim", "ClaimReason", "ClaimStatus",
    "FrameworkContract", "FrameworkContractLine",
]

from portal.extensions import db as _db  # noqa: E402
from portal.models.base import enable_trigrams  # noqa: E402

enable_trigrams(_db.metadata)
