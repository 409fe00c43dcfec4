{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Licenses</h1>
<p class="muted">The products {{ORG}} subscribes to. A user holding a product, directly or through a group, consumes
one of its seats.</p>
{{#NO_SKUS}}<p class="muted">No products yet.</p>{{/NO_SKUS}}
<table class="jobs skus">
<thead><tr><th>Product</th><th>Part number</th><th>Enabled</th><th>Consumed</th><th>Available</th>
<th>Service plans</th><th>Environment access</th></tr></thead>
<tbody>
{{#SKU}}<tr><td><a href="{{BASE}}/licenses/{{SKU_ID}}">{{PRODUCT}}</a></td><td>{{PART}}</td>
<td data-seats="enabled">{{ENABLED}}</td><td data-seats="consumed">{{CONSUMED}}</td>
<td data-seats="available">{{AVAILABLE}}</td><td>{{PLANS}}</td><td>{{ACCESS}}</td></tr>
{{/SKU}}</tbody>
</table>
{{#CAN_ADD}}<h2>Add a product</h2>
{{#ALL_ADDED}}<p class="muted">{{ORG}} subscribes to every product in the catalog.</p>{{/ALL_ADDED}}
{{#ADD_FORM}}<form method="post" action="{{BASE}}/licenses" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="product">Product</label>
  <select id="product" name="product"
          {{#PRODUCT_ERROR}}aria-invalid="true" aria-describedby="product-error"{{/PRODUCT_ERROR}}>
    <option value="">Choose a product</option>
    {{#PRODUCT_OPTION}}<option value="{{SKU_ID}}" {{SELECTED}}>{{NAME}} ({{PART}})</option>
    {{/PRODUCT_OPTION}}</select>
  {{#PRODUCT_ERROR}}<p class="error" id="product-error" role="alert">{{MESSAGE}}</p>{{/PRODUCT_ERROR}}
  <label for="seats">Seats</label>
  <input id="seats" name="seats" type="number" min="0" value="{{SEATS}}" required
         {{#SEATS_ERROR}}aria-invalid="true" aria-describedby="seats-error"{{/SEATS_ERROR}}>
  {{#SEATS_ERROR}}<p class="error" id="seats-error" role="alert">{{MESSAGE}}</p>{{/SEATS_ERROR}}
  <button type="submit">Add product</button>
</form>{{/ADD_FORM}}{{/CAN_ADD}}
<h2>Default usage location</h2>
<p>Members who get a license through a group and have no usage location of their own use this one.
Current: <strong data-default-usage-location="{{LOCATION}}">{{LOCATION_TEXT}}</strong></p>
{{#CAN_SET_LOCATION}}<form method="post" action="{{BASE}}/licenses/default-usage-location" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="defaultUsageLocation">Default usage location</label>
  <input id="defaultUsageLocation" name="defaultUsageLocation" value="{{LOCATION_VALUE}}" maxlength="2"
         aria-describedby="defaultUsageLocation-hint{{#LOCATION_ERROR}} defaultUsageLocation-error{{/LOCATION_ERROR}}"
         {{#LOCATION_ERROR}}aria-invalid="true"{{/LOCATION_ERROR}}>
  <p class="muted" id="defaultUsageLocation-hint">A two-letter country code such as US or NO; empty to clear it.</p>
  {{#LOCATION_ERROR}}<p class="error" id="defaultUsageLocation-error" role="alert">{{MESSAGE}}</p>{{/LOCATION_ERROR}}
  <button type="submit">Save default usage location</button>
</form>{{/CAN_SET_LOCATION}}
